"""Who hears about what happens to a complaint (SPEC §12, §3 milestones). Each function returns
the notices of one event; the caller hands them to `notify` inside its transaction, so the
outbox rows commit or roll back with the change."""

from django.conf import settings

from kesu.complaints.choices import EventType
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.notifications.selectors import watchers
from kesu.notifications.services import Notice
from kesu.org.models import User
from kesu.portal.links import portal_contact, signed_url


def _others(users, actor: User | None) -> list[User]:
    return [u for u in users if u is not None and u != actor]


def customer_update(event: ComplaintEvent) -> list[Notice]:
    """ISO 10002: acknowledge on receipt, then every milestone reaches the customer contact,
    with a signed link that opens the complaint in the portal (the plan, when it awaits
    their decision)."""
    complaint = event.complaint
    if not complaint.contact_email:
        return []
    contact = portal_contact(complaint)
    context = {
        "event_type": event.type,
        "note": event.note,
        "status": complaint.status,
        "reply_due_at": complaint.reply_due_at.isoformat() if complaint.reply_due_at else None,
        "decision_wanted": event.action == "submit_plan",
    }
    if contact.is_active:
        context["portal_link"] = signed_url(user=contact, complaint=complaint)
        context["link_days"] = settings.KESU_PORTAL_LINK_DAYS
    return [
        Notice(
            kind="customer_update",
            event_key=f"event:{event.pk}:customer",
            complaint=complaint,
            addresses=[(complaint.contact_email, contact.language or settings.LANGUAGE_CODE)],
            context=context,
        )
    ]


def state_changed(event: ComplaintEvent, complaint: Complaint) -> list[Notice]:
    """Watchers (handler, tracker, department manager, whoever transferred it, followers)
    hear of every step; people newly put in charge get an assignment notice instead."""
    assigned = _assigned(event, complaint)
    notices = []
    if assigned:
        notices.append(
            Notice(
                kind="assigned",
                event_key=f"event:{event.pk}:assigned",
                recipients=assigned,
                complaint=complaint,
                context={"action": event.action, "status": complaint.status, "note": event.note},
            )
        )
    rest = [u for u in _others(watchers(complaint), event.actor) if u not in assigned]
    if rest:
        notices.append(
            Notice(
                kind="status_changed",
                event_key=f"event:{event.pk}:watchers",
                recipients=rest,
                complaint=complaint,
                context={"action": event.action, "status": complaint.status, "note": event.note},
            )
        )
    return notices


def _assigned(event: ComplaintEvent, complaint: Complaint) -> list[User]:
    if event.action == "assess_valid":
        people = [complaint.handler, complaint.tracker]
    elif event.action == "dispatch":
        department = complaint.responsible_department
        people = [department.manager if department else None]
    elif event.action == "accept_dispatch":
        people = [complaint.handler]
    else:
        return []
    return list(dict.fromkeys(_others(people, event.actor)))


def customer_replied(event: ComplaintEvent, complaint: Complaint) -> list[Notice]:
    """A message from the customer reaches everyone working on the complaint."""
    recipients = _others(watchers(complaint), event.actor)
    if complaint.received_by not in recipients and complaint.received_by != event.actor:
        recipients.append(complaint.received_by)
    if not recipients or event.type != EventType.COMMENT:
        return []
    return [
        Notice(
            kind="customer_reply",
            event_key=f"event:{event.pk}:reply",
            recipients=recipients,
            complaint=complaint,
            context={"message": event.note[:500]},
        )
    ]
