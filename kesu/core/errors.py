"""Domain errors: a stable machine code and a translated message, shared by UI and API."""

from django.utils.translation import gettext_lazy as _


class KesuError(Exception):
    """Base of every error a service raises on purpose. The edges map it to a response."""

    code = "error"
    http_status = 400
    default_message = _("The request could not be carried out.")

    def __init__(self, message=None, *, field_errors: dict[str, list[str]] | None = None):
        self.message = message if message is not None else self.default_message
        self.field_errors = field_errors or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": str(self.message)}
        if self.field_errors:
            body["fields"] = {k: [str(m) for m in v] for k, v in self.field_errors.items()}
        return body


class ValidationFailed(KesuError):
    code = "validation_failed"
    http_status = 422
    default_message = _("Some fields are not valid.")


class NotAllowed(KesuError):
    code = "not_allowed"
    http_status = 403
    default_message = _("You are not allowed to do this.")


class NotFound(KesuError):
    code = "not_found"
    http_status = 404
    default_message = _("Not found, or you have no access to it.")


class InvalidTransition(KesuError):
    code = "invalid_transition"
    http_status = 409
    default_message = _("This action is not possible in the current state.")


class StaleVersion(KesuError):
    """Another user saved first: refuse rather than overwrite (SPEC §13, no lost updates)."""

    code = "stale_version"
    http_status = 409
    default_message = _(
        "Someone else changed this complaint after you opened it. "
        "Reload to see their changes; nothing of yours was saved."
    )


class RateLimited(KesuError):
    """Too much written in too short a time; `retry_at` says from when it is accepted again."""

    code = "rate_limited"
    http_status = 429
    default_message = _("Too many requests; try again later.")

    def __init__(self, message=None, *, retry_at=None, **kwargs):
        self.retry_at = retry_at
        super().__init__(message, **kwargs)
