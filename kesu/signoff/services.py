"""Signing (21 CFR Part 11 §11.200: the password is asked again at every signing)."""

import hashlib
import json
import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kesu.core import clock
from kesu.core.errors import ValidationFailed
from kesu.signoff.models import Meaning, Signature

logger = logging.getLogger(__name__)


def content_hash(document) -> str:
    """SHA-256 of the canonical JSON of what is signed (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def printed_name(user) -> str:
    full = user.display_name or user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


def signature_check(*, signer, password: str, meaning: str, subject: str) -> None:
    """Refuse an unknown meaning or a wrong password; a wrong password is logged for the
    administrator (Part 11 §11.300(d)). Call it before the transaction that records the
    signature: the password hash is slow on purpose, and no lock should wait on it."""
    if meaning not in Meaning.values:
        raise ValidationFailed(field_errors={"meaning": [_("Choose what your signature means.")]})
    if not isinstance(password, str) or not password or not signer.check_password(password):
        logger.warning("signature refused: wrong password for %s on %s", signer.username, subject)
        raise ValidationFailed(
            field_errors={"password": [_("The password is not correct; nothing was signed.")]}
        )


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
