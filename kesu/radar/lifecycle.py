"""The radar's card on the complaint page (issue 13): drawn empty and filled by htmx after the
page, so the page itself costs no query more; shown to staff while the problem is analysed."""

from kesu.complaints.choices import Status
from kesu.complaints.lifecycle import Participant

# From the first assessment to the customer's acceptance of the plan: while the team can still
# start from what was learned.
RADAR_STATUSES = frozenset({
    Status.RECEIVED, Status.ASSESSED, Status.DISPATCHED, Status.ANALYSIS, Status.CONFIRMATION,
})


class Radar(Participant):
    def panel(self, request, complaint, context: dict) -> str | None:
        if request.user.is_customer or complaint.status not in RADAR_STATUSES:
            return None
        return "radar/_panel.html"
