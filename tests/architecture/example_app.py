"""A small app that takes part in the complaint's life, written only in its own module: the shape
docs/architecture.md describes for the apps that follow (verification, claims…)."""

from django.utils.translation import gettext_lazy

from kesu.complaints.events import EventType, Payload, register
from kesu.complaints.lifecycle import Participant
from kesu.complaints.workflow import PLAN_READY
from kesu.core.errors import InvalidTransition


class Noted(Payload):
    action: str
    lots_to_check: int


NOTED = register(EventType(
    "example_noted", gettext_lazy("Example noted"), payload=Noted,
    details=lambda payload: [("Lots to check", str(payload.lots_to_check))],
))

CALLS: list[str] = []


def plan_needs_lots(complaint) -> None:
    if complaint.verification_lots > 5:
        raise InvalidTransition("More than five lots to check: plan it with the customer first.")


class Example(Participant):
    gates = {PLAN_READY: plan_needs_lots}

    def created(self, change):
        CALLS.append("created")

    def transitioned(self, change):
        CALLS.append(f"transitioned:{change.transition.action}")
        NOTED.record(
            change.complaint, at=change.now, actor=change.actor,
            payload=Noted(action=change.transition.action,
                          lots_to_check=change.complaint.verification_lots),
        )

    def event_recorded(self, event):
        CALLS.append(f"event:{event.type}")
