"""Turning a queued message into an email, and one SMTP connection for a batch of them."""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
from email import policy
from email.message import EmailMessage
from types import TracebackType
from urllib.parse import unquote, urlsplit

from exchange.core.settings import Settings
from exchange.outbox.models import OutboxMessage

log = logging.getLogger("exchange.outbox")
# Long header lines are allowed (up to SMTP's 998): a folded List-Unsubscribe address would arrive encoded,
# and mail clients would not offer it.
SMTP_POLICY = policy.SMTP.clone(max_line_length=998)
SUBJECT_LENGTH = 300

# Anything that could end a header or reorder what a reader sees: C0/C1 controls, line and paragraph
# separators, and the bidirectional overrides and isolates.
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
# In a plain-text body, line breaks and tabs are text; the other controls are not.
_BODY_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def header_text(text: str, limit: int = SUBJECT_LENGTH) -> str:
    """User-written text made safe for a header: one line, no controls, no hidden reordering."""
    return " ".join(_HEADER_UNSAFE.sub(" ", text).split())[:limit]


def body_text(text: str) -> str:
    return _BODY_UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def build(message: OutboxMessage, settings: Settings) -> EmailMessage:
    """The email for a queued message; ValueError if it cannot be made (it will never be sendable)."""
    email = EmailMessage(policy=SMTP_POLICY)
    email["From"] = settings.mail_from
    email["To"] = message.to_address
    email["Subject"] = header_text(message.subject)
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{header_text(message.unsubscribe_url, 998)}>"
    email.set_content(body_text(message.body_text))
    return email


# Errors about one message (its addresses, its content); anything else is about the server or the connection.
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
    UnicodeError,
    ValueError,
)


class MailServerUnavailable(Exception):
    """The SMTP server could not be reached or dropped the connection: nothing about any one message."""


class MessageRefused(Exception):
    """The server (or the email library) refused this message; the others may still go."""


class SmtpBatch:
    """One SMTP connection, opened at the first message and reused for the rest of the batch.

    Without EXCHANGE_SMTP_URL (development) messages are written to the log instead.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpBatch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        url = urlsplit(self.settings.smtp_url or "")
        smtp_class = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
        try:
            smtp = smtp_class(url.hostname or "127.0.0.1", url.port or 25, timeout=10)
            if url.scheme == "smtp+starttls":
                smtp.starttls()
            if url.username:
                smtp.login(unquote(url.username), unquote(url.password or ""))
        except (OSError, smtplib.SMTPException) as error:
            raise MailServerUnavailable(f"cannot reach the SMTP server: {error}") from error
        return smtp

    def send(self, message: OutboxMessage) -> None:
        try:
            email = build(message, self.settings)
        except (ValueError, TypeError) as error:
            raise MessageRefused(f"the email could not be made: {error}") from error
        if not self.settings.smtp_url:
            log.info(
                "email (not sent: no SMTP configured) to=%s subject=%s\n%s",
                email["To"],
                email["Subject"],
                message.body_text,
            )
            return
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(email)
        except MESSAGE_ERRORS as error:
            raise MessageRefused(f"the SMTP server refused it: {error}") from error
        except (OSError, smtplib.SMTPException) as error:
            self._smtp = None
            raise MailServerUnavailable(f"the SMTP connection failed: {error}") from error
