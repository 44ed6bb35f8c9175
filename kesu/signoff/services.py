"""Signing (21 CFR Part 11 §11.200: the password is asked again at every signing)."""

import hashlib
import json
import logging
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kesu.core import clock
from kesu.core.errors import ValidationFailed
from kesu.org.models import User
from kesu.signoff.models import Meaning, Signature, SignatureRefusal

logger = logging.getLogger(__name__)


def content_hash(document) -> str:
    """SHA-256 of the canonical JSON of what is signed (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def printed_name(user) -> str:
    """The signer's name as people read it on the record (Part 11 §11.50: the printed name
    identifies the signer). A username is not a name: when another active user shares the
    display name, the department tells them apart (the role, for someone without one)."""
    full = user.display_name or user.get_full_name() or user.username
    namesakes = (
        User.objects.filter(is_active=True, display_name=full).exclude(pk=user.pk).exists()
    )
    if not namesakes:
        return full
    where = user.department.name if user.department_id else str(user.get_role_display())
    # Stored once and read in any language: the brackets follow the name's own script.
    if any("\u4e00" <= char <= "\u9fff" for char in full + where):
        return f"{full}（{where}）"
    return f"{full} ({where})"


def _minutes(delta) -> int:
    return max(1, math.ceil(delta.total_seconds() / 60))


def _recent_refusals(signer) -> list:
    """Times of the signer's refused signatures within the lockout window, latest first."""
    since = clock.now() - settings.AXES_COOLOFF_TIME
    return list(
        SignatureRefusal.objects.filter(signer=signer, refused_at__gte=since)
        .order_by("-refused_at")
        .values_list("refused_at", flat=True)[: settings.AXES_FAILURE_LIMIT]
    )


def signature_check(*, signer, password: str, meaning: str, subject: str) -> None:
    """Refuse an unknown meaning or a wrong password. A wrong password is recorded and logged
    for the administrator (Part 11 §11.300(d)), and as many in a row as lock a login
    (AXES_FAILURE_LIMIT within AXES_COOLOFF_TIME) lock the signer's signing for that time, so a
    session left open cannot be used to guess the password. Call it before the transaction
    that records the signature: the record of a refusal must stay, the password hash is slow on
    purpose, and no lock should wait on it."""
    if meaning not in Meaning.values:
        raise ValidationFailed(field_errors={"meaning": [_("Choose what your signature means.")]})
    limit = settings.AXES_FAILURE_LIMIT
    refusals = _recent_refusals(signer)
    if len(refusals) >= limit:
        wait = refusals[-1] + settings.AXES_COOLOFF_TIME - clock.now()
        raise ValidationFailed(
            field_errors={"password": [ngettext(
                "Too many wrong passwords: signing is locked for %(minutes)d more minute. "
                "Nothing was signed.",
                "Too many wrong passwords: signing is locked for %(minutes)d more minutes. "
                "Nothing was signed.",
                _minutes(wait),
            ) % {"minutes": _minutes(wait)}]}
        )
    if not isinstance(password, str) or not password or not signer.check_password(password):
        logger.warning("signature refused: wrong password for %s on %s", signer.username, subject)
        SignatureRefusal.objects.create(signer=signer, subject=subject, refused_at=clock.now())
        left = limit - len(refusals) - 1
        minutes = _minutes(settings.AXES_COOLOFF_TIME)
        if left:
            message = ngettext(
                "The password is not correct; nothing was signed. %(left)d more wrong password "
                "locks signing for %(minutes)d minutes.",
                "The password is not correct; nothing was signed. %(left)d more wrong passwords "
                "lock signing for %(minutes)d minutes.",
                left,
            ) % {"left": left, "minutes": minutes}
        else:
            message = _(
                "The password is not correct; nothing was signed. Signing is now locked for "
                "%(minutes)d minutes."
            ) % {"minutes": minutes}
        raise ValidationFailed(field_errors={"password": [message]})


def signature_record(*, signer, meaning: str, subject: str, digest: str) -> Signature:
    """Record a signature whose password signature_check accepted, inside the caller's
    transaction (which makes sure `digest` is still the content's)."""
    return Signature.objects.create(
        subject=subject,
        content_hash=digest,
        signer=signer,
        printed_name=printed_name(signer),
        meaning=meaning,
        signed_at=clock.now(),
    )


@dataclass(frozen=True)
class ShownSignature:
    """A signature as every page, print and export shows it."""

    signature: Signature
    valid: bool

    @property
    def printed_name(self):
        return self.signature.printed_name

    @property
    def meaning(self):
        return self.signature.meaning

    @property
    def meaning_label(self):
        return self.signature.get_meaning_display()

    @property
    def signed_at(self):
        return self.signature.signed_at

    def as_dict(self) -> dict:
        return {
            "printed_name": self.printed_name,
            "meaning": self.meaning,
            "signed_at": self.signed_at.isoformat(),
            "content_hash": self.signature.content_hash,
            "valid": self.valid,
        }
