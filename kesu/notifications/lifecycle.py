"""Notifications take part in the complaint's life (SPEC §12): every change of state reaches the
people newly in charge and the watchers, and every customer message everyone working on it."""

from kesu.complaints.events import COMMENT, TRANSITION
from kesu.complaints.lifecycle import Participant
from kesu.notifications.complaint_notices import customer_replied, state_changed
from kesu.notifications.services import notify
from kesu.org.models import Role


class Notifications(Participant):
    def event_recorded(self, event) -> None:
        if event.type == TRANSITION:
            notify(state_changed(event, event.complaint))
        elif event.type == COMMENT and event.actor is not None and (
            event.actor.role == Role.CUSTOMER
        ):
            notify(customer_replied(event, event.complaint))
