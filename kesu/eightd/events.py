"""The 8D's event types on the complaint timeline (SPEC §7, §13): a discipline edited (and how
many signatures that voided), a discipline signed, the report sent to the customer."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.complaints.choices import Visibility
from kesu.complaints.events import Details, EventType, Payload, register
from kesu.eightd.models import DISCIPLINES
from kesu.signoff.models import Meaning

FIELDS = {
    "content": gettext_lazy("Content"),
    "owner": gettext_lazy("Owner"),
    "internal_note": gettext_lazy("Internal note"),
}


class Edited(Payload):
    disciplines: list[str]
    fields: list[str] = []
    signatures_invalidated: int | None = None


class Signed(Payload):
    discipline: str
    meaning: str
    # The signer's printed name as it was at signing (21 CFR Part 11 §11.50).
    printed_name: str
    content_hash: str


class Sent(Payload):
    version: int


def _labels(codes) -> str:
    return "; ".join(str(DISCIPLINES.get(code, code)) for code in codes)


def _edited_details(payload: Edited) -> Details:
    details = [(_("Disciplines"), _labels(payload.disciplines))]
    fields = [str(FIELDS.get(name, name)) for name in payload.fields]
    if fields:
        details.append((_("Changed"), ", ".join(fields)))
    if payload.signatures_invalidated:
        details.append((_("Signatures no longer valid"), str(payload.signatures_invalidated)))
    return details


def _signed_details(payload: Signed) -> Details:
    return [
        (_("Disciplines"), _labels([payload.discipline])),
        (_("Signed by"), payload.printed_name or "—"),
        (_("Meaning"), str(dict(Meaning.choices).get(payload.meaning, payload.meaning))),
        # No content hash here: people read the timeline, and a hash means nothing to them.
        # It stays in the event's payload (API), the signature record (admin) and the exports.
    ]


def _sent_details(payload: Sent) -> Details:
    return [(_("Version"), str(payload.version))]


EIGHTD_UPDATED = register(EventType(
    "eightd_updated", gettext_lazy("8D report edited"), payload=Edited, details=_edited_details,
))
EIGHTD_SIGNED = register(EventType(
    "eightd_signed", gettext_lazy("8D discipline signed"), payload=Signed,
    details=_signed_details,
))
# The report goes to the customer in its own mail, with the PDF (kesu.eightd.export).
EIGHTD_SENT = register(EventType(
    "eightd_sent", gettext_lazy("8D report sent to the customer"), payload=Sent,
    portal_label=gettext_lazy("8D report sent to you"), customer_mail=False,
    details=_sent_details,
))


def edited(complaint, *, actor, at, code: str, fields, invalidated: int):
    payload = Edited(
        disciplines=[code],
        fields=sorted(fields),
        **({"signatures_invalidated": invalidated} if invalidated else {}),
    )
    return EIGHTD_UPDATED.record(complaint, actor=actor, at=at, payload=payload)


def signed(complaint, *, actor, at, code: str, meaning: str, printed_name: str, digest: str):
    payload = Signed(
        discipline=code, meaning=meaning, printed_name=printed_name, content_hash=digest
    )
    return EIGHTD_SIGNED.record(complaint, actor=actor, at=at, payload=payload)


def sent(complaint, *, actor, at, version: int, note: str):
    return EIGHTD_SENT.record(
        complaint, actor=actor, at=at, note=note, visibility=Visibility.CUSTOMER,
        payload=Sent(version=version),
    )
