"""Who is calling: a bearer token (scripts, ERP/MES) or the browser's session (with CSRF)."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from kesu.api.tokens import token_find
from kesu.core.errors import NotAllowed

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfFailed(NotAllowed):
    code = "csrf_failed"
    default_message = _(
        "CSRF check failed: with the session cookie, send the CSRF token in the X-CSRFToken "
        "header, or use a bearer token."
    )


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = token_find(token)
        if found is None:
            # Read by the 401 handler to say why, rather than just "log in".
            request.kesu_bad_token = True
            return None
        request.api_token = found
        # Middleware (audit log) and anything else reading request.user see the caller.
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """Django's session, for the browser. CSRF is checked only when the session is what
    authenticates a write: a request without a session cookie has nothing to forge, and must
    get a 401 rather than a CSRF error."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise CsrfFailed()
        return user
