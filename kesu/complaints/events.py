"""The complaint's event log (STYLE habit 3): one `ComplaintEvent` row per thing that happened,
written only through the factories of the event types.

An event type is registered once, by the app it belongs to (this module holds the complaint's
own; `kesu.eightd.events` and `kesu.timelimits.events` hold theirs). It says how the event reads
everywhere it is shown: its label on the staff timeline, its label in the customer portal, the
detail rows drawn from its payload (timeline and exports), and whether, when the customer may
see it, it is mailed to them. A payload is a typed model holding ids and the display names at
the time, stored as JSON; it is translated when shown, in the reader's language, never stored
translated.

An event type is a `str` (its stored value), so `events.filter(type=COMMENT)` and
`event.type == COMMENT` read as before.
"""

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, ValidationError

from kesu.complaints import lifecycle
from kesu.complaints.choices import Status, Visibility
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.core.display import display_value

Details = list[tuple[str, str]]


class Payload(BaseModel):
    """The typed payload of an event type. Rows written by earlier versions may carry keys a
    model no longer names: they are kept in the row and ignored when read."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class NoPayload(Payload):
    pass


def _no_details(payload: Payload) -> Details:
    return []


class EventType(str):
    """One registered kind of event; its string value is what the row stores."""

    label: Promise
    payload: type[Payload]
    portal_label: Promise | None
    customer_mail: bool
    # Raised by Kesu itself (reminders, overdue notices, recalculated due times), not by a
    # person: the timeline folds runs of them into one line and can leave them out.
    automatic: bool
    describe: Callable[[Payload], Details]

    def __new__(
        cls,
        value: str,
        label: Promise,
        *,
        payload: type[Payload] = NoPayload,
        portal_label: Promise | None = None,
        customer_mail: bool = True,
        automatic: bool = False,
        details: Callable[[Payload], Details] = _no_details,
    ):
        self = super().__new__(cls, value)
        self.label = label
        self.payload = payload
        self.portal_label = portal_label
        self.customer_mail = customer_mail
        self.automatic = automatic
        self.describe = details
        return self

    def build(
        self,
        complaint: Complaint | int,
        *,
        at: datetime,
        actor=None,
        payload: Payload | None = None,
        note: str = "",
        visibility: str = Visibility.INTERNAL,
        **columns,
    ) -> ComplaintEvent:
        """The unsaved row (the sweeper inserts them in bulk)."""
        payload = payload if payload is not None else self.payload()
        if not isinstance(payload, self.payload):
            raise TypeError(f"{self} takes a {self.payload.__name__} payload.")
        target = {"complaint_id": complaint} if isinstance(complaint, int) else {
            "complaint": complaint
        }
        return ComplaintEvent(
            **target,
            type=str(self),
            actor=actor,
            at=at,
            note=note,
            visibility=visibility,
            payload=payload.model_dump(mode="json", exclude_unset=True, by_alias=True),
            **columns,
        )

    def record(self, complaint: Complaint, **fields) -> ComplaintEvent:
        """Write the row, inside the caller's transaction, and tell the lifecycle participants
        (the customer's mail, the watchers' notices)."""
        event = self.build(complaint, **fields)
        event.save()
        lifecycle.event_recorded(event)
        return event

    def read(self, event: ComplaintEvent) -> Payload | None:
        try:
            return self.payload.model_validate(event.payload or {})
        except ValidationError:
            return None

    def details(self, event: ComplaintEvent) -> Details:
        payload = self.read(event)
        return self.describe(payload) if payload is not None else []


_TYPES: dict[str, EventType] = {}


def register(event_type: EventType) -> EventType:
    if _TYPES.get(event_type, event_type) is not event_type:
        raise ValueError(f"Event type {event_type!r} is registered twice.")
    _TYPES[str(event_type)] = event_type
    return event_type


def automatic_types() -> list[str]:
    """The stored values of the types Kesu raises on its own (`EventType.automatic`)."""
    return sorted(value for value, each in _TYPES.items() if each.automatic)


def event_type(value: str) -> EventType:
    """The registered type of a stored value; an unknown one (an app since removed) reads as
    its value rather than breaking the timeline."""
    found = _TYPES.get(value)
    return found if found is not None else EventType(value, value)


# --- The complaint's own event types ---------------------------------------------------------


def field_label(name: str) -> str:
    """The label of a complaint field, or of a transition input that is not one."""
    from kesu.complaints.inputs import TransitionInput

    try:
        return str(capfirst(Complaint._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        field = TransitionInput.base_fields.get(name)
        return str(field.label) if field is not None and field.label else name


class Created(Payload):
    routing_rule: str | None = None


def _created_details(payload: Created) -> Details:
    return [(_("Routing rule"), payload.routing_rule)] if payload.routing_rule else []


class Updated(Payload):
    # {field: {"from": old, "to": new}}, names for related objects, ISO for times.
    changes: dict[str, dict] = {}


def _updated_details(payload: Updated) -> Details:
    return [
        (field_label(name), f"{display_value(c.get('from'))} → {display_value(c.get('to'))}")
        for name, c in payload.changes.items()
    ]


class Transitioned(Payload):
    """The inputs the step took, by name: display names (and the ids under `ids`), ISO times."""

    model_config = ConfigDict(extra="allow", frozen=True)

    ids: dict[str, int | list[int]] | None = None


def _transition_details(payload: Transitioned) -> Details:
    return [
        (field_label(name), display_value(value))
        for name, value in (payload.model_extra or {}).items()
        if value not in (None, "", []) and not isinstance(value, dict)
    ]


CREATED = register(EventType(
    "created", gettext_lazy("Recorded"), payload=Created,
    portal_label=gettext_lazy("Complaint recorded"), details=_created_details,
))
UPDATED = register(EventType(
    "updated", gettext_lazy("Edited"), payload=Updated, details=_updated_details,
))
TRANSITION = register(EventType(
    "transition", gettext_lazy("State changed"), payload=Transitioned,
    details=_transition_details,
))
COMMENT = register(EventType(
    "comment", gettext_lazy("Message"), portal_label=gettext_lazy("Message"),
))
# The file is on the thread; the messages around it tell the customer, not a mail per file.
ATTACHMENT = register(EventType(
    "attachment", gettext_lazy("Attachment added"), portal_label=gettext_lazy("File"),
    customer_mail=False,
))
INFO_REQUESTED = register(EventType(
    "info_requested", gettext_lazy("Information requested from the customer"),
    portal_label=gettext_lazy("We asked you for information"),
))
INFO_RECEIVED = register(EventType(
    "info_received", gettext_lazy("Customer's information received"),
    portal_label=gettext_lazy("Your information was received"),
))


def created(complaint, *, actor, at, routing_rule: str | None) -> ComplaintEvent:
    # ISO 10002: acknowledge on receipt, with the complaint number.
    return CREATED.record(
        complaint, actor=actor, at=at, to_status=Status.RECEIVED,
        visibility=Visibility.CUSTOMER, payload=Created(routing_rule=routing_rule),
    )


def updated(complaint, *, actor, at, changes: dict[str, dict]) -> ComplaintEvent:
    return UPDATED.record(complaint, actor=actor, at=at, payload=Updated(changes=changes))


def transitioned(
    complaint, *, actor, at, action: str, from_status: str, to_status: str, note: str,
    visibility: str, inputs: dict, ids: dict,
) -> ComplaintEvent:
    payload = Transitioned(**inputs, **({"ids": ids} if ids else {}))
    return TRANSITION.record(
        complaint, actor=actor, at=at, action=action, from_status=from_status,
        to_status=to_status, note=note, visibility=visibility, payload=payload,
    )


def commented(complaint, *, actor, at, text: str, visibility: str) -> ComplaintEvent:
    return COMMENT.record(complaint, actor=actor, at=at, note=text, visibility=visibility)


def attached(complaint, *, actor, at, name: str, visibility: str) -> ComplaintEvent:
    return ATTACHMENT.record(complaint, actor=actor, at=at, note=name, visibility=visibility)


def info_requested(complaint, *, actor, at, question: str) -> ComplaintEvent:
    return INFO_REQUESTED.record(
        complaint, actor=actor, at=at, note=question, visibility=Visibility.CUSTOMER
    )


def info_received(complaint, *, actor, at, note: str) -> ComplaintEvent:
    return INFO_RECEIVED.record(complaint, actor=actor, at=at, note=note)
