"""Signed, expiring links that open one complaint in the portal (sent in the customer's mails).

A token is `TimestampSigner` output over the user, the complaint number and a fingerprint of the
account (its password hash and whether it is active): setting or changing the password, or
deactivating the user, revokes every link sent before. Following a link logs that customer in
for that one complaint only (`kesu.portal.session`).
"""

import re
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from kesu.complaints.access import complaints_visible_to
from kesu.complaints.models import Complaint
from kesu.notifications.rendering import base_url
from kesu.org.models import Role, User

SALT = "kesu.portal.link"
USERNAME_MAX = User._meta.get_field("username").max_length


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def _fingerprint(user: User) -> str:
    return salted_hmac(SALT, f"{user.pk}|{user.password}|{user.is_active}").hexdigest()[:24]


def link_token(*, user: User, complaint: Complaint) -> str:
    return _signer().sign_object({"u": user.pk, "c": complaint.number, "f": _fingerprint(user)})


def signed_url(*, user: User, complaint: Complaint) -> str:
    """The absolute URL of a link that opens `complaint` for `user`."""
    return base_url() + reverse("portal:link", args=[link_token(user=user, complaint=complaint)])


def link_context(contact: User | None, complaint: Complaint) -> dict:
    """What a mail to the customer says of their personal link: none for a contact who may no
    longer come in."""
    if contact is None or not contact.is_active:
        return {}
    return {
        "portal_link": signed_url(user=contact, complaint=complaint),
        "link_days": settings.KESU_PORTAL_LINK_DAYS,
    }


def max_age() -> timedelta:
    return timedelta(days=settings.KESU_PORTAL_LINK_DAYS)


class LinkRefused(Exception):
    """Why a link does not open anything: "expired", "revoked" or "invalid". `user` is known
    when the link is genuine."""

    def __init__(self, reason: str, user: User | None = None):
        super().__init__(reason)
        self.reason = reason
        self.user = user

    @property
    def status(self) -> int:
        # 410 for a link we made that no longer works; 400 for one we never made.
        return 400 if self.reason == "invalid" else 410


def _payload(data) -> tuple[int, str, str]:
    if not isinstance(data, dict):
        raise LinkRefused("invalid")
    pk, number, fingerprint = data.get("u"), data.get("c"), data.get("f")
    if not (isinstance(pk, int) and isinstance(number, str) and isinstance(fingerprint, str)):
        raise LinkRefused("invalid")
    return pk, number, fingerprint


def _customer(pk: int) -> User | None:
    return User.objects.filter(pk=pk, role=Role.CUSTOMER, customer__isnull=False).first()


def link_open(token: str) -> tuple[User, Complaint]:
    """The customer and the complaint a link opens, or LinkRefused."""
    try:
        data = _signer().unsign_object(token, max_age=max_age())
    except signing.SignatureExpired as exc:
        # Genuine but old: say so in its owner's language.
        pk, _number, _fp = _payload(_signer().unsign_object(token))
        raise LinkRefused("expired", _customer(pk)) from exc
    except signing.BadSignature as exc:
        raise LinkRefused("invalid") from exc
    pk, number, fingerprint = _payload(data)
    user = _customer(pk)
    if user is None:
        raise LinkRefused("revoked")
    if not user.is_active or not constant_time_compare(fingerprint, _fingerprint(user)):
        raise LinkRefused("revoked", user)
    complaint = complaints_visible_to(user).filter(number=number).first()
    if complaint is None:
        # The user was moved to another customer since the link was sent.
        raise LinkRefused("revoked", user)
    return user, complaint


def _username_base(email: str) -> str:
    # What Django's username validator accepts: letters, digits and @ . + - _
    return re.sub(r"[^\w.@+-]", "_", email.lower())[: USERNAME_MAX - 6]


def portal_contact(complaint: Complaint) -> User | None:
    """The portal user of the complaint's contact e-mail at that customer, created (without a
    password: the signed links are how they come in) if there is none yet. A deactivated one
    is returned as it is, never replaced. None when the complaint has no contact e-mail."""
    email = (complaint.contact_email or "").strip()
    if not email:
        return None
    existing = (
        User.objects.filter(role=Role.CUSTOMER, customer_id=complaint.customer_id)
        .filter(email__iexact=email)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    base = _username_base(email)
    suffix = 1
    while True:
        username = base if suffix == 1 else f"{base}-{suffix}"
        suffix += 1
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            email=email,
            display_name=complaint.contact_name[:100],
            role=Role.CUSTOMER,
            customer_id=complaint.customer_id,
            is_active=True,
        )
        user.set_unusable_password()
        try:
            # A savepoint: a concurrent request taking the same name must not break the
            # caller's transaction, only make us try the next name.
            with transaction.atomic():
                user.save()
        except IntegrityError:
            continue
        return user
