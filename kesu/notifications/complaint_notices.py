"""Who among the staff hears about what happens to a complaint (SPEC §12). Each function
returns the notices of one event and writes nothing; the lifecycle participant
(`kesu.notifications.lifecycle`) hands them to `notify` inside the change's transaction, so the
outbox rows commit or roll back with it."""

from datetime import timedelta

from kesu.complaints.events import COMMENT
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.complaints.workflow import WORKFLOW
from kesu.notifications.selectors import watchers
from kesu.notifications.services import Notice
from kesu.org.models import User


def _others(users, actor: User | None) -> list[User]:
    return [u for u in users if u is not None and u != actor]


def state_changed(event: ComplaintEvent, complaint: Complaint) -> list[Notice]:
    """Watchers (handler, tracker, department manager, whoever transferred it, followers)
    hear of every step; people newly put in charge get an assignment notice instead."""
    assigned = _assigned(event, complaint)
    context = _step_context(event, complaint)
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
                context=context,
            )
        )
    return notices


# As much of a customer's words as a notice quotes (the timeline has them whole).
QUOTED = 500


def _step_context(event: ComplaintEvent, complaint: Complaint) -> dict:
    """What a watcher's notice says of a step. The customer's decision on the plan is quoted in
    their words (issue 11 §2: "rounds: 1" told the handler nothing), not as a step's note."""
    transition = WORKFLOW.find(event.action, event.from_status, complaint.kind)
    if transition is not None and transition.decision:
        return {
            "action": event.action,
            "status": complaint.status,
            "decision": str(transition.decision),
            "reason": event.note[:QUOTED],
        }
    return {"action": event.action, "status": complaint.status, "note": event.note}


def _assigned(event: ComplaintEvent, complaint: Complaint) -> list[User]:
    """Who the step put in charge, as its row in the workflow table says."""
    transition = WORKFLOW.find(event.action, event.from_status, complaint.kind)
    if transition is None:
        return []
    department = complaint.responsible_department
    owners = {
        "handler": complaint.handler,
        "tracker": complaint.tracker,
        "dept_manager": department.manager if department else None,
    }
    people = [owners[name] for name in transition.assigns]
    return list(dict.fromkeys(_others(people, event.actor)))


# A customer who writes again and again is told to each person on the complaint once per this
# window: the first message at once, what follows in one message (issue 10: 500 messages had
# made 500 mails to each). A quarter of an hour is short against any reply time limit.
REPLY_DIGEST_WINDOW = timedelta(minutes=15)


def customer_replied(event: ComplaintEvent, complaint: Complaint) -> list[Notice]:
    """A message from the customer reaches everyone working on the complaint; further
    messages fold into what they have not seen yet (`Notice.digest_window`)."""
    recipients = _others(watchers(complaint), event.actor)
    if complaint.received_by not in recipients and complaint.received_by != event.actor:
        recipients.append(complaint.received_by)
    if not recipients or event.type != COMMENT:
        return []
    return [
        Notice(
            kind="customer_reply",
            event_key=f"event:{event.pk}:reply",
            recipients=recipients,
            complaint=complaint,
            context={"message": event.note[:500], "count": 1},
            digest_window=REPLY_DIGEST_WINDOW,
        )
    ]
