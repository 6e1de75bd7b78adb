"""Domain errors: what a service refuses, with a message for the person and the form field."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse. `field` names the form field the message belongs next to."""

    def __init__(
        self, message: str, *, field: str | None = None, fields: dict | None = None
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        self._fields = fields

    @property
    def fields(self) -> dict:
        """Every field that is wrong with its message (several are reported at once)."""
        return self._fields or ({self.field: self.message} if self.field else {})


class AccountError(DomainError):
    """An account cannot be created or changed as asked."""


class LoginFailed(DomainError):
    """The login name and password do not match an active account."""


class LoginThrottled(DomainError):
    """Too many failed logins: the person must wait `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class GroupError(DomainError):
    """A group, join code or invite request the rules refuse."""


class UnknownJoinCode(GroupError):
    """No open group has this join code: a wrong guess, counted against the address."""


class JoinThrottled(GroupError):
    """Too many wrong join codes from one address: wait `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, field="code")
        self.retry_after = retry_after
