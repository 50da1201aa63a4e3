"""All configuration in one place, read from the environment (prefix ``EXCHANGE_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Development only: refused when EXCHANGE_ENV=production (see ``refuse_development_secret``).
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EXCHANGE_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'exchange.db'}"
    secret_key: str = DEVELOPMENT_SECRET_KEY
    base_url: str = "http://127.0.0.1:8000"
    smtp_url: str | None = None
    mail_from: str = "Open Innovation Exchange <no-reply@exchange.localhost>"
    stripe_secret_key: str | None = None
    stripe_publishable_key: str | None = None
    stripe_webhook_secret: str | None = None
    # Where the stripe SDK sends its requests; only tests point it elsewhere (localstripe, a recording stub).
    stripe_api_base: str | None = None
    # The Stripe SDK's own retries of a request that could not reach Stripe, before the queue's retries take over.
    stripe_network_retries: int = Field(default=2, ge=0, le=5)
    # Plans, their Stripe Price lookup keys and limits; the file shipped with the exchange unless set.
    plans_file: Path | None = None
    # How long a plan is kept after a renewal payment fails, while the card is put right.
    payment_grace_days: int = 14
    # Each participant of a matchmaking session is emailed its agenda this many hours before its first meeting.
    session_reminder_hours: int = Field(default=24, ge=1, le=168)
    templates_dir: Path = PROJECT_ROOT / "web" / "templates"
    static_dir: Path = PROJECT_ROOT / "web" / "static" / "dist"
    seed_dir: Path = PROJECT_ROOT / "seed_data"
    # Sign-in throttling: at most this many failures per email (and 4x per address) in the window.
    login_max_failures: int = 5
    login_window_minutes: int = 15
    db_pool_size: int = 10
    # How many reading requests (GET, HEAD) a worker works on at once; the others wait their turn (see
    # core.read_limit). A few keep the interpreter busy without making every page wait for all the others.
    read_concurrency: int = Field(default=4, ge=1, le=1000)
    # How long a request waits for a database lock or a pooled connection before answering 503 Busy.
    database_wait_seconds: float = Field(default=10.0, gt=0, le=600)
    # The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: comma-separated addresses
    # or networks (``10.0.0.0/8``). Empty: no proxy is trusted and the connecting address is the client's,
    # so a forged header cannot dodge the per-address limits.
    trusted_proxies: str = ""
    # Argon2id cost: the library's defaults (64 MiB, 3 passes, 4 lanes). Production refuses less than OWASP's
    # minimum (19 MiB and 2 passes); only the test suite turns it down, to keep sign-ins quick.
    password_hash_time_cost: int = 3
    password_hash_memory_kib: int = 65536
    password_hash_parallelism: int = 4
    # The job queue: unset, a SQLite file (queue_file); ``redis://host:6379/0`` to share it between machines;
    # ``immediate`` runs each job in the process that enqueues it, at once (the test suite; refused in
    # production).
    queue_url: str | None = None
    queue_file: Path = PROJECT_ROOT / "var" / "queue.db"
    # A failing job is tried again this many times, waiting job_retry_delay_seconds, then twice as long each
    # time (10 s, 20 s, 40 s, ...); after that it is set aside for an administrator.
    job_retries: int = 5
    job_retry_delay_seconds: float = 10.0
    # Each worker process says it is alive this often; a job held by a worker silent for longer than
    # worker_dead_after_seconds is queued again (the worker died mid-job).
    # An email the SMTP server refuses is tried this many times, waiting email_retry_delay_seconds, then
    # twice as long each time, before it is set aside for an administrator.
    email_attempts: int = Field(default=5, ge=1)
    email_retry_delay_seconds: float = Field(default=60.0, gt=0)
    # Each web process hands its tally of supplier page views to a job this often (never a write per view).
    view_count_batch_seconds: float = Field(default=10.0, ge=0)
    worker_heartbeat_seconds: float = 5.0
    worker_dead_after_seconds: float = 30.0
    # Re-read changed templates on every render; on by default in development only.
    template_auto_reload: bool | None = None

    @model_validator(mode="after")
    def refuse_development_secret(self) -> Settings:
        self.queue_kind  # noqa: B018 (an unknown queue URL is refused at start, not at the first job)
        if self.env == "production":
            if self.secret_key == DEVELOPMENT_SECRET_KEY or len(self.secret_key) < 32:
                raise ValueError("EXCHANGE_SECRET_KEY must be set to a random value of 32+ characters in production")
            if not self.base_url.startswith("https://"):
                raise ValueError("EXCHANGE_BASE_URL must be https in production")
            if self.stripe_secret_key and not self.stripe_webhook_secret:
                raise ValueError("EXCHANGE_STRIPE_WEBHOOK_SECRET must be set when EXCHANGE_STRIPE_SECRET_KEY is")
            if self.password_hash_memory_kib < 19456 or self.password_hash_time_cost < 2:
                raise ValueError("Password hashing below 19 MiB of memory or 2 passes is refused in production")
            if self.queue_url == "immediate":
                raise ValueError("EXCHANGE_QUEUE_URL=immediate is for tests: production needs a worker")
            if (self.stripe_secret_key or "").startswith("sk_test_") or self.stripe_api_base:
                raise ValueError("Stripe test keys and EXCHANGE_STRIPE_API_BASE are refused in production")
        return self

    @property
    def queue_kind(self) -> Literal["sqlite", "redis", "immediate"]:
        if self.queue_url == "immediate":
            return "immediate"
        if self.queue_url and self.queue_url.startswith(("redis://", "rediss://", "unix://")):
            return "redis"
        if self.queue_url:
            raise ValueError(
                f"EXCHANGE_QUEUE_URL must be redis://..., rediss://... or immediate, not {self.queue_url!r}"
            )
        return "sqlite"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def payments_enabled(self) -> bool:
        """Payments are off unless a Stripe secret key is configured: then no Stripe call is ever made."""
        return bool(self.stripe_secret_key)

    @property
    def secure_cookies(self) -> bool:
        return self.env == "production" or self.base_url.startswith("https://")


@lru_cache
def get_settings() -> Settings:
    return Settings()
