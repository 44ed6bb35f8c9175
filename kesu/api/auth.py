"""Getting a token, giving it back, and asking who you are."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from kesu.api.errors import errors
from kesu.api.schemas import MeOut, TokenIn, TokenOut
from kesu.api.tokens import token_issue, token_revoke
from kesu.core.errors import KesuError
from kesu.org.lockout import LoginLocked, is_locked_out

router = Router(tags=["auth"])


class InvalidCredentials(KesuError):
    code = "invalid_credentials"
    http_status = 401
    default_message = _("Wrong user name or password, or the account is disabled.")


class NoToken(KesuError):
    code = "no_token"
    default_message = _("This request was not made with a token.")


@router.post("/auth/token", auth=None, response={201: TokenOut, **errors(401, 422, 429)})
def issue_token(request, payload: TokenIn):
    """Exchange user name and password for a bearer token. The token is shown only in this
    answer; Kesu keeps only its digest.

    Wrong passwords are counted with the login page's: after KESU_LOGIN_FAILURES in a row for
    one user name from one address, that pair gets 429 `login_locked`, even with the right
    password, until KESU_LOGIN_COOLOFF_MINUTES have passed."""
    # With the request, so that django-axes counts the failure and can refuse a locked pair.
    user = authenticate(request, username=payload.username, password=payload.password)
    if is_locked_out(request):
        raise LoginLocked()
    if user is None:
        raise InvalidCredentials()
    token, key = token_issue(user=user, name=payload.name)
    return Status(
        201,
        {
            "token": key,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
        },
    )


@router.delete("/auth/token", response={204: None, **errors(400, 401)})
def revoke_token(request):
    """Revoke the token this request was made with."""
    token = getattr(request, "api_token", None)
    if token is None:
        raise NoToken()
    token_revoke(token=token)
    return Status(204, None)


@router.get("/me", response={200: MeOut, **errors(401)})
def me(request):
    return request.auth
