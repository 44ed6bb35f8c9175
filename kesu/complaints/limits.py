"""How much a customer contact may write (issue 10): messages and files per time window.

Staff are not limited: they are accountable people on an audited system. A customer contact is
anyone holding a portal login or a mailed link, so what they can write is bounded, per
complaint and over all their complaints, in a short and a long window:

- 10 messages per complaint in 10 minutes is more than a person typing answers to questions
  writes (a heated exchange is two or three a minute at most, for a few minutes); 50 a day per
  complaint is a long day's correspondence on one case.
- 30 in 10 minutes and 150 a day over all complaints lets a customer's quality engineer answer
  every open case of a busy week in one morning, and still bounds the worst case at
  150 × 10,000 characters a day.

Files sent on their own (the API's upload) count separately, with room for a batch of photos.
Rows are counted from the event log itself (no counter to drift), in the window before now.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.core.errors import RateLimited
from kesu.org.models import User


@dataclass(frozen=True)
class Limit:
    count: int
    window: timedelta
    per_complaint: bool  # False: over all the contact's complaints


MESSAGE_LIMITS = (
    Limit(10, timedelta(minutes=10), per_complaint=True),
    Limit(50, timedelta(days=1), per_complaint=True),
    Limit(30, timedelta(minutes=10), per_complaint=False),
    Limit(150, timedelta(days=1), per_complaint=False),
)
FILE_LIMITS = (
    Limit(30, timedelta(minutes=10), per_complaint=True),
    Limit(100, timedelta(days=1), per_complaint=True),
    Limit(60, timedelta(minutes=10), per_complaint=False),
    Limit(300, timedelta(days=1), per_complaint=False),
)


def _recent(actor: User, event_type: str, now: datetime, limits, complaint=None) -> list:
    """The times of the actor's events of this type in the longest window, newest first,
    no more than the largest count needs: one query."""
    longest = max(limit.window for limit in limits)
    rows = ComplaintEvent.objects.filter(
        actor=actor, type=event_type, at__gt=now - longest, at__lte=now
    )
    if complaint is not None:
        rows = rows.filter(complaint=complaint)
    most = max(limit.count for limit in limits)
    return list(rows.order_by("-at", "-id").values_list("at", flat=True)[:most])


def retry_at(
    *, actor: User, complaint: Complaint, event_type: str, limits, now: datetime
) -> datetime | None:
    """None if one more event of this type is within every limit; else the first moment it is.

    A limit of N in a window W is full when the N-th newest event is less than W old; a place
    frees when that event leaves the window, at its time + W.
    """
    later = None
    for per_complaint in (True, False):
        scoped = [limit for limit in limits if limit.per_complaint == per_complaint]
        if not scoped:
            continue
        times = _recent(actor, event_type, now, scoped, complaint if per_complaint else None)
        for limit in scoped:
            inside = [at for at in times if at > now - limit.window]
            if len(inside) >= limit.count:
                free = inside[limit.count - 1] + limit.window
                later = free if later is None else max(later, free)
    return later


def refuse(moment: datetime, *, files: bool = False) -> RateLimited:
    """The refusal, saying when they may write again (to the minute, rounded up)."""
    shown = moment.replace(second=0, microsecond=0)
    if shown < moment:
        shown += timedelta(minutes=1)
    when = formats.date_format(timezone.localtime(shown), "Y-m-d H:i")
    if files:
        message = _(
            "You have sent many files in a short time. You can send more from %(time)s."
        ) % {"time": when}
    else:
        message = _(
            "You have written many messages in a short time. You can write again from %(time)s."
        ) % {"time": when}
    return RateLimited(message, retry_at=moment)
