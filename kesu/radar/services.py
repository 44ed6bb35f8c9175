"""The radar's writes (issue 13): linking a complaint to an earlier one."""

from django.db import transaction
from django.utils.translation import gettext as _

from kesu.complaints.access import actors_of, complaints_visible_to
from kesu.complaints.locks import lock_complaint
from kesu.complaints.models import Complaint
from kesu.complaints.workflow import Actor
from kesu.core import clock
from kesu.core.errors import NotAllowed, StaleVersion, ValidationFailed
from kesu.org.models import User
from kesu.radar import events
from kesu.radar.models import ComplaintLink, LinkKind

# Who links: customer service at intake, the quality side and the handling team in analysis.
LINKERS = frozenset({Actor.AGENT, Actor.QE, Actor.TRACKER, Actor.HANDLER, Actor.DEPT_MANAGER})


def can_link(user: User, complaint: Complaint) -> bool:
    return bool(actors_of(user, complaint) & LINKERS)


def radar_link(
    *, actor: User, complaint: Complaint, earlier: Complaint, kind: str
) -> ComplaintLink:
    """Link `complaint` to `earlier` as a recurrence or a duplicate: a link row, an event on
    each, and for a recurrence one more on the earlier complaint's `recurrence_count`."""
    if not can_link(actor, complaint):
        raise NotAllowed()
    if kind not in LinkKind.values:
        raise ValidationFailed(field_errors={"kind": [_("Choose recurrence or duplicate.")]})
    if not complaints_visible_to(actor).filter(pk=earlier.pk).exists():
        raise NotAllowed()
    if earlier.pk == complaint.pk or earlier.received_at > complaint.received_at:
        raise ValidationFailed(
            field_errors={"earlier": [_("Link to a complaint received before this one.")]}
        )
    now = clock.now()
    with transaction.atomic():
        # Both rows locked, lower id first, so two links between them cannot deadlock; the
        # earlier one's counter is then written with a compare-and-set on its value.
        locked = {pk: lock_complaint(pk) for pk in sorted((complaint.pk, earlier.pk))}
        if ComplaintLink.objects.filter(complaint=complaint, earlier=earlier).exists():
            raise ValidationFailed(
                field_errors={"earlier": [_("These complaints are already linked.")]}
            )
        link = ComplaintLink.objects.create(
            complaint=complaint, earlier=earlier, kind=kind, created_by=actor, created_at=now
        )
        if kind == LinkKind.RECURRENCE:
            count = locked[earlier.pk].recurrence_count
            updated = Complaint.objects.filter(pk=earlier.pk, recurrence_count=count).update(
                recurrence_count=count + 1, updated_at=now
            )
            if not updated:
                raise StaleVersion()
        events.linked(complaint, actor=actor, at=now, earlier=earlier, kind=kind)
        events.linked_from(earlier, actor=actor, at=now, complaint=complaint, kind=kind)
    earlier.refresh_from_db()
    return link
