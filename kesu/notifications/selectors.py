"""Reads of notifications: who hears about a complaint, the bell, the inbox, channel choices."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from kesu.complaints.models import Complaint
from kesu.notifications.choices import PERSONAL_CHANNELS, ChannelKind
from kesu.notifications.models import ChannelPreference, Follow, Notification
from kesu.org.models import Department, User


def watchers(complaint: Complaint) -> set[User]:
    """Everyone who hears about what happens to the complaint: its handler, its tracker, the
    responsible department's manager, whoever transferred it in, and its followers. Active
    users only; one query."""
    direct = {complaint.handler_id, complaint.tracker_id, complaint.transferred_by_id} - {None}
    who = Q(pk__in=direct) | Q(pk__in=Follow.objects.filter(complaint=complaint).values("user"))
    if complaint.responsible_department_id:
        who |= Q(
            pk__in=Department.objects.filter(pk=complaint.responsible_department_id).values(
                "manager"
            )
        )
    return set(User.objects.filter(who, is_active=True))


def is_following(user: User, complaint: Complaint) -> bool:
    return Follow.objects.filter(user=user, complaint=complaint).exists()


def inbox(user: User) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first, ready to render without more queries."""
    return (
        Notification.objects.filter(recipient=user, channel=ChannelKind.INAPP)
        .select_related("complaint", "complaint__customer")
        .order_by("-created_at", "-id")
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(
        recipient=user, channel=ChannelKind.INAPP, read_at__isnull=True
    ).count()


def channels_for(user: User) -> tuple[ChannelKind, ...]:
    """The personal channels a user may choose among. Customer contacts hear from Kesu in the
    portal only: their e-mail goes to the complaint's contact address, sent as customer updates."""
    if user.is_customer:
        return (ChannelKind.INAPP,)
    return PERSONAL_CHANNELS


def _default(user: User, channel: str) -> bool:
    if channel == ChannelKind.EMAIL:
        return bool(user.email)
    return True


def enabled_channels(users: Iterable[User]) -> dict[int, set[str]]:
    """For each user, the channels on which a notification should be written: their choice,
    else the default (in-app on; e-mail on when they have an address). One query for all."""
    users = list(users)
    chosen: dict[tuple[int, str], bool] = {
        (user_id, channel): enabled
        for user_id, channel, enabled in ChannelPreference.objects.filter(
            user__in=[u.pk for u in users]
        ).values_list("user_id", "channel", "enabled")
    }
    result = {}
    for user in users:
        channels = set()
        for channel in channels_for(user):
            if chosen.get((user.pk, channel), _default(user, channel)):
                channels.add(channel)
        if not user.email:
            # Nowhere to send to, whatever the user once chose.
            channels.discard(ChannelKind.EMAIL)
        result[user.pk] = channels
    return result


def channel_preferences(user: User) -> dict[str, bool]:
    """The settings page's check boxes: each channel the user may choose, on or off."""
    enabled = enabled_channels([user])[user.pk]
    return {channel: channel in enabled for channel in channels_for(user)}
