"""The radar's event types (issue 13): a complaint linked to an earlier one, written on both."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.complaints.events import Details, EventType, Payload, register
from kesu.radar.models import LinkKind


class Linked(Payload):
    kind: str  # LinkKind
    other_id: int
    other: str  # the other complaint's number


def _kind(payload: Linked) -> str:
    return str(dict(LinkKind.choices).get(payload.kind, payload.kind))


def _linked_details(payload: Linked) -> Details:
    return [(_("Earlier complaint"), payload.other), (_("Linked as"), _kind(payload))]


def _linked_from_details(payload: Linked) -> Details:
    return [(_("Later complaint"), payload.other), (_("Linked as"), _kind(payload))]


RADAR_LINKED = register(EventType(
    "radar_linked", gettext_lazy("Linked to an earlier complaint"), payload=Linked,
    details=_linked_details,
))
RADAR_LINKED_FROM = register(EventType(
    "radar_linked_from", gettext_lazy("A later complaint was linked to this one"),
    payload=Linked, details=_linked_from_details,
))


def linked(complaint, *, actor, at, earlier, kind: str):
    return RADAR_LINKED.record(
        complaint, actor=actor, at=at,
        payload=Linked(kind=kind, other_id=earlier.pk, other=earlier.number),
    )


def linked_from(earlier, *, actor, at, complaint, kind: str):
    return RADAR_LINKED_FROM.record(
        earlier, actor=actor, at=at,
        payload=Linked(kind=kind, other_id=complaint.pk, other=complaint.number),
    )
