"""Glue between django-axes and Kesu: who the client is, and what a locked-out login sees.

Axes counts failures in its authentication backend and signal handler; its middleware then
hands the answer of a refused login to `lockout_response`. The login page and the API's token
endpoint answer the lockout themselves (their own page and error shape); this catches the rest
(the admin's login) with the same message.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kesu.core.errors import KesuError

LOCKOUT_STATUS = 429


class LoginLocked(KesuError):
    code = "login_locked"
    http_status = LOCKOUT_STATUS
    default_message = _("Too many failed logins.")

    def __init__(self):
        super().__init__(lockout_message())


def lockout_message() -> str:
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return ngettext(
        "Too many failed logins: this user name is locked from this computer for %(minutes)d "
        "minute. Try again later, or ask an administrator to unlock it.",
        "Too many failed logins: this user name is locked from this computer for %(minutes)d "
        "minutes. Try again later, or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def attempts_left_message(request: HttpRequest, username: str) -> str | None:
    """After a failed login, a warning once few tries are left before the lockout."""
    # Imported here: axes' handler reads its settings when imported.
    from axes.handlers.proxy import AxesProxyHandler

    failures = AxesProxyHandler.get_failures(request, {"username": username})
    left = settings.AXES_FAILURE_LIMIT - failures
    if not username or failures == 0 or left > 3 or left <= 0:
        return None
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return ngettext(
        "%(left)d more failed login locks this user name for %(minutes)d minutes.",
        "%(left)d more failed logins lock this user name for %(minutes)d minutes.",
        left,
    ) % {"left": left, "minutes": minutes}


def is_locked_out(request: HttpRequest) -> bool:
    """Whether the last authenticate() on this request was refused (or tipped) by axes."""
    return bool(getattr(request, "axes_locked_out", False))


def client_ip(request: HttpRequest) -> str | None:
    if settings.KESU_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    if original_response is not None and original_response.status_code == LOCKOUT_STATUS:
        return original_response  # the view answered the lockout in its own way
    if request.path_info.startswith("/api/"):
        return JsonResponse(LoginLocked().as_dict(), status=LOCKOUT_STATUS)
    return render(
        request, "org/locked_out.html", {"message": lockout_message()}, status=LOCKOUT_STATUS
    )
