"""The complaint's status as the customer reads it, and where it is in the loop.

Internal hand-overs (assessed, dispatched to a department, accepted there) are one stage for the
customer: we are investigating. Everything else keeps the loop of SPEC §5.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kesu.complaints.choices import Kind, Status

CUSTOMER_STATUS = {
    Status.RECEIVED: _("Received"),
    Status.ASSESSED: _("Under investigation"),
    Status.DISPATCHED: _("Under investigation"),
    # The staff's name where it is already plain: one status, one name for anyone who sees both.
    Status.ANALYSIS: Status.ANALYSIS.label,
    Status.CONFIRMATION: _("Plan awaiting your decision"),
    Status.IMPLEMENTATION: _("Actions being implemented"),
    Status.VERIFICATION: _("Checking the effect on later deliveries"),
    Status.REPLIED: _("Replied"),
    Status.FOLLOW_UP: _("Being followed up"),
    Status.CLOSED: _("Closed"),
    Status.INVALID: _("Closed: not confirmed as our fault"),
    Status.CANCELLED: _("Cancelled"),
}

STATUS_COLOURS = {
    Status.CONFIRMATION: "yellow",
    Status.CLOSED: "green",
    Status.INVALID: "grey",
    Status.CANCELLED: "grey",
}

# (label, statuses in that stage)
COMPLAINT_LOOP = (
    (_("Received"), {Status.RECEIVED}),
    (_("Investigation"), {Status.ASSESSED, Status.DISPATCHED}),
    (_("Analysis"), {Status.ANALYSIS}),
    (_("Your decision"), {Status.CONFIRMATION}),
    (_("Implementation"), {Status.IMPLEMENTATION}),
    (_("Effect check"), {Status.VERIFICATION}),
    (_("Closed"), {Status.CLOSED}),
)
FEEDBACK_LOOP = (
    (_("Received"), {Status.RECEIVED}),
    (_("Replied"), {Status.REPLIED}),
    (_("Follow-up"), {Status.FOLLOW_UP}),
    (_("Closed"), {Status.CLOSED}),
)


def customer_status(status: str):
    return CUSTOMER_STATUS.get(status, status)


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "blue")


@dataclass(frozen=True)
class Stage:
    label: str
    state: str  # "done", "current" or "todo"


def loop_stages(complaint) -> list[Stage]:
    """The stages of the complaint's path with the current one marked; none for a complaint
    that ended off the path (not valid, cancelled), whose status says it all."""
    loop = FEEDBACK_LOOP if complaint.kind == Kind.FEEDBACK else COMPLAINT_LOOP
    current = next((i for i, (_l, group) in enumerate(loop) if complaint.status in group), None)
    if current is None:
        return []
    return [
        Stage(label, "done" if i < current else "current" if i == current else "todo")
        for i, (label, _s) in enumerate(loop)
    ]
