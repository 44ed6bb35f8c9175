"""Writes of notifications: the outbox (`notify`), follows, read marks and channel choices.

`notify` is the one door other apps use to tell people something. It only writes rows, in the
caller's transaction; sending happens after commit (STYLE habit 8), see `delivery`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q

from kesu.complaints.models import Complaint
from kesu.core import clock
from kesu.notifications import selectors
from kesu.notifications.choices import PERSONAL_CHANNELS, ChannelKind, Kind, Status
from kesu.notifications.models import ChannelPreference, Follow, Notification, Robot
from kesu.org.models import User

# Large batches (a sweeper telling hundreds of people) are inserted in slices of this size.
BATCH_SIZE = 500
LOOKUP_SLICE = 5000
EVENT_KEY_LENGTH = Notification._meta.get_field("event_key").max_length


@dataclass(frozen=True)
class Notice:
    """Something to tell: one event, its recipients, and what the message needs to say.

    `event_key` names the cause ("step:123:overdue"); the same key for the same recipient and
    channel is written once, however often `notify` is called with it. `context` is JSON data
    rendered later in each recipient's language, so it holds values, never translated text.
    """

    kind: str
    event_key: str
    recipients: Sequence[User] = ()
    complaint: Complaint | None = None
    context: dict[str, Any] = field(default_factory=dict)
    # External e-mail recipients as (address, language), e.g. the complaint's customer contact.
    addresses: Sequence[tuple[str, str]] = ()
    # Fold into what a recipient has not seen yet rather than write one row per event (see
    # `_coalesce`): at most one unread in-app row per kind and complaint, and on the other
    # channels at most one message per this window. None: every event is told on its own.
    digest_window: timedelta | None = None
    # Group with the other notices of this call that carry the same key: a recipient given
    # several of them gets one digest (one in-app entry, one mail, one robot post) listing
    # them all, instead of one message each. A sender names one batch per key (the sweeper: one
    # per claimed batch). A later batch goes into the person's digest not seen yet (unread in
    # the app, unsent by mail), never into one already read or sent; see `_gather`.
    digest_key: str | None = None


def _slices(keys: list[str]) -> list[list[str]]:
    # Within the bound-parameter limits of SQLite (32766) and PostgreSQL (65535).
    return [keys[i : i + LOOKUP_SLICE] for i in range(0, len(keys), LOOKUP_SLICE)]


def _dedupe_key(event_key: str, channel: str, target: str) -> str:
    return f"{event_key}|{channel}|{target}"


def _robot_matches(robot: Robot, notice: Notice) -> bool:
    if robot.kinds and notice.kind not in robot.kinds:
        return False
    if robot.department_id is None:
        return True
    return notice.complaint is not None and (
        notice.complaint.responsible_department_id == robot.department_id
    )


class _Row:
    """An outbox row not made into a model instance yet. Most rows of a sweep are folded into
    digests and never inserted: only the ones that are get built (`build`), which saves the cost
    of a model instance for each of the others. Reads like the `Notification` it becomes."""

    __slots__ = ("fields",)
    _UNSET = {"recipient": None, "robot": None, "address": ""}

    def __init__(self, **fields):
        object.__setattr__(self, "fields", fields)

    def __getattr__(self, name):
        fields = object.__getattribute__(self, "fields")
        if name in fields:
            return fields[name]
        if name in self._UNSET:
            return self._UNSET[name]
        if name.endswith("_id") and name[:-3] in (*self._UNSET, "complaint"):
            related = fields.get(name[:-3])
            return related.pk if related is not None else None
        raise AttributeError(name)

    def __setattr__(self, name, value):
        self.fields[name] = value

    def build(self) -> Notification:
        return Notification(**self.fields)


def notify(notices: Iterable[Notice]) -> int:
    """Write the outbox rows for a batch of notices; return how many rows were new.

    Must run inside the transaction of the change, so that the rows commit or roll back with
    it. Each active recipient gets a row on each channel they have enabled, external addresses
    an e-mail, matching group robots a post. In-app rows are delivered by being stored; the
    others are handed to the delivery task after commit.

    Constant queries whatever the batch: one for channel choices, one for robots, one for the
    rows that already exist, the insert, and one for the new rows' ids; with digests (batches
    with a `digest_key`), two more, and per person one to add to their open digest or, by
    mail, two to see when the last went out.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify() must be called inside the transaction of the change.")
    notices = list(notices)
    for notice in notices:
        if notice.kind not in Kind.values:
            raise ValueError(f"Unknown notification kind {notice.kind!r}.")
        if not 0 < len(notice.event_key) <= EVENT_KEY_LENGTH or (
            notice.digest_key is not None and not 0 < len(notice.digest_key) <= EVENT_KEY_LENGTH
        ):
            raise ValueError(f"An event key has 1 to {EVENT_KEY_LENGTH} characters.")
    if not notices:
        return 0
    now = clock.now()
    people = {u.pk: u for n in notices for u in n.recipients if u.is_active}
    channels = selectors.enabled_channels(people.values())
    robots = list(Robot.objects.filter(active=True))

    rows: dict[str, Notification | _Row] = {}
    digests: dict[str, timedelta] = {}
    # The digest's dedupe key → its digest key and the keys of the rows it would stand for.
    batches: dict[str, tuple[str, list[str]]] = {}

    def add(notice: Notice, channel: str, target: str, **fields) -> None:
        key = _dedupe_key(notice.event_key, channel, target)
        if key in rows:
            return
        if notice.digest_window is not None and notice.complaint is not None:
            digests[key] = notice.digest_window
        if notice.digest_key:
            batch = _dedupe_key(notice.digest_key, channel, target)
            batches.setdefault(batch, (notice.digest_key, []))[1].append(key)
        delivered = channel == ChannelKind.INAPP
        rows.setdefault(
            key,
            _Row(
                kind=notice.kind,
                channel=channel,
                complaint=notice.complaint,
                event_key=notice.event_key,
                dedupe_key=key,
                context=notice.context,
                created_at=now,
                # Storing an in-app notification is its delivery.
                status=Status.SENT if delivered else Status.PENDING,
                sent_at=now if delivered else None,
                next_attempt_at=None if delivered else now,
                **fields,
            ),
        )

    for notice in notices:
        for user in notice.recipients:
            if user.pk not in people:
                continue
            language = user.language or settings.LANGUAGE_CODE
            for channel in sorted(channels[user.pk]):
                add(notice, channel, f"user:{user.pk}", recipient=user, language=language)
        for address, language in notice.addresses:
            if address:
                add(
                    notice,
                    ChannelKind.EMAIL,
                    f"address:{address.lower()}",
                    address=address,
                    language=language or settings.LANGUAGE_CODE,
                )
        for robot in robots:
            if _robot_matches(robot, notice):
                add(
                    notice,
                    robot.kind,
                    f"robot:{robot.pk}",
                    robot=robot,
                    language=settings.LANGUAGE_CODE,
                )

    existing = {
        key
        for keys in _slices([*rows, *batches])
        for key in Notification.objects.filter(dedupe_key__in=keys).values_list(
            "dedupe_key", flat=True
        )
    }
    if batches:
        _gather(rows, batches, existing, now)
    if digests:
        # An event already written is not folded in again: it would count twice.
        _coalesce(
            rows, {k: v for k, v in digests.items() if k in rows and k not in existing}, now
        )
    new = [row for key, row in rows.items() if key not in existing]
    if not new:
        return 0
    # ignore_conflicts: a concurrent transaction may write the same event at the same moment;
    # the unique dedupe_key lets exactly one of them keep it.
    Notification.objects.bulk_create(
        [row.build() if isinstance(row, _Row) else row for row in new],
        ignore_conflicts=True,
        batch_size=BATCH_SIZE,
    )
    to_send = [
        pk
        for keys in _slices([row.dedupe_key for row in new if row.status == Status.PENDING])
        for pk in Notification.objects.filter(
            dedupe_key__in=keys, status=Status.PENDING
        ).values_list("pk", flat=True)
    ]
    if to_send:
        transaction.on_commit(lambda: _enqueue_delivery(to_send), robust=True)
    return len(new)


def _gather(
    rows: dict[str, Notification], batches: dict[str, tuple[str, list[str]]], existing, now
) -> None:
    """Replace the rows of each batch by one digest per recipient and channel listing them
    (changes `rows` in place). An event already told on its own is not told again in a digest.

    A person hears of a batch in the digest they have not seen yet, when there is one: in the
    app, their unread digest takes the new items and comes back to the top of the bell; by
    mail, their digest still waiting to be sent takes them. So an engineer who leaves the bell
    alone for a day finds one entry, not one per sweep. Otherwise the batch is a new digest,
    except that a lone notice stays as it is (it reads better in its own words) — unless it is
    a mail that must wait (`_mail_waits_until`): then it starts the next digest.

    Each item keeps the complaint's number and title at the time, so the digest renders
    without a query per complaint. The digest row's unique dedupe key (the batch's key, the
    channel and the target) keeps a batch from being written twice; a batch folded into an
    earlier digest is recognised there by its items' event keys.

    Races: the people of the batches are locked (`_lock_people`) before their open digests are
    read, so two sweepers writing to one person take turns, and the second sees the first's
    digest instead of writing another one or overwriting its items. The folding update is also
    a compare-and-set on what keeps the digest open (unread; pending and never tried), so a
    digest read or claimed by a sender meanwhile is left alone and the items go into a new one.
    """
    people = {
        rows[key].recipient_id
        for _digest_key, keys in batches.values()
        for key in keys
        if key in rows and rows[key].recipient_id and rows[key].channel in PERSONAL_CHANNELS
    }
    _lock_people(people)
    open_digests = _open_digests(people)
    for dedupe_key, (digest_key, keys) in batches.items():
        if dedupe_key in existing:
            # This batch was written already: its notices are in that digest.
            for key in keys:
                rows.pop(key, None)
            continue
        members = [rows[key] for key in keys if key in rows and key not in existing]
        if not members:
            continue
        first = members[0]
        personal = first.recipient_id is not None and first.channel in PERSONAL_CHANNELS
        if personal and _fold(first, members, open_digests, now):
            for row in members:
                del rows[row.dedupe_key]
            continue
        waits = (
            _mail_waits_until(first, members, now)
            if personal and first.channel == ChannelKind.EMAIL
            else None
        )
        if len(members) < 2 and waits is None:
            continue
        for row in members:
            del rows[row.dedupe_key]
        complaints = {row.complaint_id for row in members}
        rows[dedupe_key] = Notification(
            kind=Kind.DIGEST,
            channel=first.channel,
            recipient=first.recipient,
            address=first.address,
            robot=first.robot,
            language=first.language,
            complaint=first.complaint if len(complaints) == 1 else None,
            event_key=digest_key,
            dedupe_key=dedupe_key,
            context={"items": [_item(row) for row in members]},
            created_at=first.created_at,
            status=first.status,
            sent_at=first.sent_at,
            next_attempt_at=waits or first.next_attempt_at,
        )


# A person's digests by mail: at most one in this period. The first goes at once (the first
# overdue notice of a day matters); what comes later waits for the period's end in one digest.
DIGEST_MAIL_EVERY = timedelta(days=1)
# What keeps a person's digest open to new items. A mail tried before (attempts > 0) is not:
# the try may have reached the server, and a copy with more items but the same Message-ID
# would be dropped by the receiving side.
_STILL_OPEN = {
    ChannelKind.INAPP: {"read_at__isnull": True},
    ChannelKind.EMAIL: {"status": Status.PENDING, "attempts": 0},
}


def _lock_people(people: set[int]) -> None:
    """Take the digest lock of each person: their user row, in id order (no deadlock between
    two sweepers). FOR NO KEY UPDATE: rows that merely refer to the user (events, notices) can
    still be inserted meanwhile. SQLite has one writer at a time and ignores it."""
    if people:
        list(
            User.objects.filter(pk__in=sorted(people))
            .order_by("pk")
            .select_for_update(no_key=True)
            .values_list("pk", flat=True)
        )


def _open_digests(people: set[int]) -> dict[tuple[int, str], dict]:
    """Each person's newest digest still open to new items, per personal channel; one query."""
    if not people:
        return {}
    still_open = Q()
    for channel, condition in _STILL_OPEN.items():
        still_open |= Q(channel=channel, **condition)
    found = {}
    for row in (
        Notification.objects.filter(still_open, kind=Kind.DIGEST, recipient_id__in=people)
        .order_by("id")
        .values("pk", "recipient_id", "channel", "context")
    ):
        found[(row["recipient_id"], row["channel"])] = row
    return found


def _fold(first: Notification, members: list[Notification], open_digests: dict, now) -> bool:
    """Add the members to the person's open digest on their channel; whether they are in it
    now. Items it has told already (the same batch told again) are not added twice; an item
    about the same thing as an earlier one replaces it."""
    where = (first.recipient_id, first.channel)
    found = open_digests.get(where)
    if found is None:
        return False
    context = dict(found["context"] or {})
    items = list(context.get("items") or [])
    told = {item.get("event_key") for item in items} | set(context.get("told") or [])
    new = [_item(row) for row in members if row.event_key not in told]
    if not new:
        return True
    # An item `about` the same thing as an earlier one (the sweeper: the same step, now a level
    # further) takes its place: the digest says each thing once, as it stands. The replaced
    # item's key is kept in "told", so the same batch told again is still recognised.
    about = {item["about"] for item in new if item.get("about")}
    replaced = [item for item in items if item.get("about") in about]
    if replaced:
        context["told"] = [*(context.get("told") or []), *(i["event_key"] for i in replaced)]
    items = [item for item in items if item.get("about") not in about] + new
    fields: dict[str, Any] = {"context": {**context, "items": items}}
    if len({item.get("number") for item in items}) > 1:
        fields["complaint"] = None  # about several complaints now: it links to the inbox
    if first.channel == ChannelKind.INAPP:
        fields["created_at"] = now  # the bell orders by it: this is news again
    if Notification.objects.filter(pk=found["pk"], **_STILL_OPEN[first.channel]).update(
        **fields
    ):
        found["context"] = fields["context"]  # a later batch of this call folds in after it
        return True
    del open_digests[where]  # read, or claimed by a sender, since we looked: start a new one
    return False


def _mail_waits_until(first: Notification, members: list[Notification], now):
    """When a new digest mail to this person may go: None for at once, when nothing of these
    kinds (nor a digest) was mailed to them in the last DIGEST_MAIL_EVERY; otherwise that long
    after the last one (one still on its way counts as sent now)."""
    mine = Notification.objects.filter(
        recipient_id=first.recipient_id,
        channel=ChannelKind.EMAIL,
        kind__in={Kind.DIGEST, *(row.kind for row in members)},
    )
    if mine.filter(status__in=(Status.PENDING, Status.SENDING)).exists():
        last = now
    else:
        last = mine.filter(sent_at__gt=now - DIGEST_MAIL_EVERY).aggregate(last=Max("sent_at"))[
            "last"
        ]
    return None if last is None else last + DIGEST_MAIL_EVERY


def _item(row: Notification) -> dict:
    item = {"kind": row.kind, "event_key": row.event_key, **row.context}
    if row.complaint is not None:
        item.update(number=row.complaint.number, title=row.complaint.title)
    return item


def _folded(earlier: dict, later: dict) -> dict:
    """One row standing for several events: the latest's words, and how many there were."""
    return {**later, "count": earlier.get("count", 1) + later.get("count", 1)}


# A conversation that goes on and on is mailed less and less often: each message already sent
# in the last day doubles the wait after the last one, up to DIGEST_LONGEST. A quiet day
# resets it.
DIGEST_MEMORY = timedelta(days=1)
DIGEST_LONGEST = timedelta(hours=4)


def digest_wait(window: timedelta, sent_today: int) -> timedelta:
    """How long after the last message sent the next one waits: the window after the first,
    twice that after the second, … at most DIGEST_LONGEST."""
    doublings = min(max(sent_today - 1, 0), 8)
    return min(window * 2**doublings, max(window, DIGEST_LONGEST))


def _coalesce(rows: dict[str, Notification], digests: dict[str, timedelta], now) -> None:
    """Fold the new rows in `digests` into rows their recipient has not seen yet; delay those
    that would come too soon after the last one sent. Changes `rows` in place.

    A customer writing 500 messages must not mean 500 mails to each person on the complaint,
    yet none of them may go unnoticed, and the first must arrive at once (the reply clocks
    run). So, per kind, complaint, channel and recipient:

    - in the app: while an earlier row is unread, it is updated (count, latest words, time)
      instead of a new one being written, so the bell shows one entry per complaint;
    - elsewhere (e-mail, robots): while an earlier row is still waiting to be sent, it is
      updated; when the last one went out less than the window ago, the new row waits until
      the window has passed. So at most one message per window, the first one immediate; and
      the window doubles with each message sent that day (`digest_wait`), so that a contact
      writing all day long is mailed a handful of times, not once per message.

    Updates are compare-and-set on the state that makes a row open (unread; pending, not yet
    claimed by a sender); losing that race just writes a new row. Callers hold the complaint
    lock, so two events of one complaint do not fold at the same time.
    """
    for key, window in digests.items():
        row = rows[key]
        same = Notification.objects.filter(
            kind=row.kind, complaint=row.complaint, channel=row.channel, **_target(row)
        )
        still_open = (
            {"read_at__isnull": True}
            if row.channel == ChannelKind.INAPP
            else {"status": Status.PENDING}
        )
        earlier = same.filter(**still_open).order_by("-id").values("pk", "context").first()
        if earlier is not None:
            fields = {"context": _folded(earlier["context"], row.context)}
            if row.channel == ChannelKind.INAPP:
                fields["created_at"] = now  # the bell orders by it: this is news again
            if same.filter(pk=earlier["pk"], **still_open).update(**fields):
                del rows[key]
                continue
        if row.channel == ChannelKind.INAPP:
            continue
        sent = same.filter(sent_at__gt=now - DIGEST_MEMORY).aggregate(
            last=Max("sent_at"), n=Count("id")
        )
        last_sent = now if same.filter(status=Status.SENDING).exists() else sent["last"]
        if last_sent is not None:
            row.next_attempt_at = max(now, last_sent + digest_wait(window, sent["n"]))


def _target(row: Notification) -> dict:
    if row.robot_id:
        return {"robot_id": row.robot_id}
    if row.recipient_id:
        return {"recipient_id": row.recipient_id}
    return {"address": row.address}


def _enqueue_delivery(ids: list[int]) -> None:
    # Imported here: tasks import delivery, which imports the channels and their templates.
    from kesu.notifications.tasks import deliver_notifications

    # Should the queue be down, the rows stay pending and the periodic sweep sends them; hence
    # `robust=True` above: the caller's change is committed and must not be reported as failed.
    deliver_notifications.enqueue(ids)


def follow(*, user: User, complaint: Complaint) -> Follow:
    """Start hearing about a complaint. Following twice is following once."""
    row, _created = Follow.objects.get_or_create(
        user=user, complaint=complaint, defaults={"created_at": clock.now()}
    )
    return row


def unfollow(*, user: User, complaint: Complaint) -> None:
    Follow.objects.filter(user=user, complaint=complaint).delete()


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own in-app notifications read: those with the given ids, or all.
    Ids of other users' notifications are ignored. Returns how many were newly read."""
    unread = Notification.objects.filter(
        recipient=user, channel=ChannelKind.INAPP, read_at__isnull=True
    )
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=clock.now())


def channel_preferences_set(*, user: User, enabled: dict[str, bool]) -> None:
    """Record the user's choice for each personal channel they may choose."""
    allowed = set(selectors.channels_for(user))
    with transaction.atomic():
        for channel in PERSONAL_CHANNELS:
            if channel in allowed and channel in enabled:
                ChannelPreference.objects.update_or_create(
                    user=user, channel=channel, defaults={"enabled": bool(enabled[channel])}
                )
