"""Domain errors carry their HTTP status; one handler renders them as JSON or as a page."""

from __future__ import annotations


class DomainError(Exception):
    status_code = 400
    title = "Something went wrong"

    def __init__(
        self, message: str, *, field_errors: dict[str, str] | None = None, link: tuple[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}
        # What to do about it, as (text, path on the exchange): shown as a link under the message on the page.
        self.link = link


class NotFound(DomainError):
    """Also what anything private answers to those who may not see it (never 403 with a hint)."""

    status_code = 404
    title = "Page not found"

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message)


class NotSignedIn(DomainError):
    status_code = 401
    title = "You need to sign in"

    def __init__(self, message: str = "Sign in to continue.") -> None:
        super().__init__(message)


class NotAllowed(DomainError):
    """For actions on things the user can see but may not change (e.g. a non-admin member)."""

    status_code = 403
    title = "You cannot do that"


class Invalid(DomainError):
    status_code = 422
    title = "There is a problem"


class Conflict(DomainError):
    status_code = 409
    title = "That cannot be done now"


class LimitReached(Conflict):
    """A plan's limit, reached: the message says how many there are and which plan allows more."""


class TooManyRequests(DomainError):
    status_code = 429
    title = "Too many attempts"


class CsrfFailed(DomainError):
    status_code = 403
    title = "The form has expired"

    def __init__(self) -> None:
        super().__init__("The form has expired or was not sent from this site. Go back, reload and try again.")


class Busy(DomainError):
    """The exchange cannot take this request now (the database is busy); nothing was changed."""

    status_code = 503
    title = "The service is busy"
    retry_after_seconds = 5

    def __init__(self, message: str = "The exchange is busy. Try again in a few seconds.") -> None:
        super().__init__(message)
