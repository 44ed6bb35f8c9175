"""What the customer contact is told (SPEC §3 milestones, ISO 10002): the acknowledgement on
receipt, then every milestone, each with a signed link that opens the complaint in the portal
(the plan, when it awaits their decision). A builder writes nothing: the participant
(`kesu.portal.lifecycle`) ensures the contact exists and hands the notices to `notify`."""

from django.conf import settings

from kesu.complaints.models import ComplaintEvent
from kesu.complaints.workflow import WORKFLOW
from kesu.notifications.services import Notice
from kesu.org.models import User
from kesu.portal.links import link_context


def customer_update(event: ComplaintEvent, contact: User) -> list[Notice]:
    complaint = event.complaint
    transition = WORKFLOW.find(event.action, event.from_status, complaint.kind)
    context = {
        "event_type": event.type,
        "note": event.note,
        "status": complaint.status,
        "reply_due_at": complaint.reply_due_at.isoformat() if complaint.reply_due_at else None,
        "decision_wanted": bool(transition and transition.waits_on_customer),
    }
    context.update(link_context(contact, complaint))
    return [
        Notice(
            kind="customer_update",
            event_key=f"event:{event.pk}:customer",
            complaint=complaint,
            addresses=[(complaint.contact_email, contact.language or settings.LANGUAGE_CODE)],
            context=context,
        )
    ]
