"""One base for the rules of the domain, so pages and the API answer them the same way.

A service raises a subclass of ``DomainError`` with a message for the person and the HTTP
status that fits: 400 when the request itself breaks a rule (a date in the past), 409 when it
clashes with what is there (a name in use, an event already cancelled). Each app subclasses it
once (``EventError``, ``ClusterError``...) and may add a subclass per status.

A view that re-shows a form catches the error and puts its ``message`` on the form. Anything it
does not catch is answered once, in one place each: ``config.api`` for the API (JSON with
``detail``) and ``tutti.core.middleware.DomainErrorMiddleware`` for pages (a plain page).
"""


class DomainError(Exception):
    status: int = 400

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return self.message


class ConflictError(DomainError):
    """The request clashes with the state of things: the same request later may succeed."""

    status = 409
