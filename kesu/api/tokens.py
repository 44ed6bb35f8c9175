"""Issuing, finding and revoking API tokens. The plaintext leaves the server once, at issue."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare

from kesu.api.models import ApiToken
from kesu.core import clock
from kesu.org.models import User

TOKEN_PREFIX = "ksu_"
DISPLAY_PREFIX_LENGTH = 12  # "ksu_" and 8 random characters
# last_used_at is a hint for administrators, not an audit trail: writing it on every request
# would make each read a write (and on SQLite take the database's one write lock).
TOUCH_INTERVAL = timedelta(minutes=5)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the user: the row, and the plaintext to hand over exactly once."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            key_hash=_digest(key),
            prefix=key[:DISPLAY_PREFIX_LENGTH],
            expires_at=clock.now() + timedelta(days=settings.KESU_TOKEN_DAYS),
            user_stamp=user.get_session_auth_hash(),
        )
    return token, key


def token_find(key: str) -> ApiToken | None:
    """The live token with this plaintext, with its user, or None (unknown, revoked, expired,
    the user is deactivated or their password changed since the token was issued)."""
    if not key or len(key) > 200:
        return None
    now = clock.now()
    token = (
        ApiToken.objects.select_related("user", "user__department")
        .filter(key_hash=_digest(key), revoked=False, expires_at__gt=now, user__is_active=True)
        .first()
    )
    # Compared here rather than on password change: every way of changing a password (the
    # admin, `changepassword`, set_password in a shell) changes the hash this is made from.
    if token is None or not constant_time_compare(
        token.user_stamp, token.user.get_session_auth_hash()
    ):
        return None
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    token.revoked = True
