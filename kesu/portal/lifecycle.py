"""The portal takes part in the complaint's life: each event the customer may see, of a type
that is announced by mail, reaches the complaint's contact with their personal portal link
(SPEC §3: status updates reach the customer without anyone remembering to send them)."""

from kesu.complaints.choices import Visibility
from kesu.complaints.events import event_type
from kesu.complaints.lifecycle import Participant
from kesu.notifications.services import notify
from kesu.portal.links import portal_contact
from kesu.portal.notices import customer_update


class Portal(Participant):
    def event_recorded(self, event) -> None:
        if event.visibility != Visibility.CUSTOMER or not event_type(event.type).customer_mail:
            return
        if not event.complaint.contact_email:
            return
        # The contact's portal login is made on first need, here in the change's transaction.
        contact = portal_contact(event.complaint)
        notify(customer_update(event, contact))
