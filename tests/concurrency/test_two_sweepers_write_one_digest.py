"""Two sweepers telling one person at the same moment (issue 11 §1): the person still has one
unread digest in the app holding the items of both, and each item goes out in one mail.

Each worker reads the person's open digest and then adds to it or writes a new one. Without a
lock, both find none and write two; or both read the same items and the second write drops the
first's. `notify` takes the person's digest lock (their user row) before it reads, so the second
waits and then folds its items into the digest the first committed."""

import pytest
from django.db import transaction

from kesu.notifications import services
from kesu.notifications.choices import ChannelKind, Kind
from kesu.notifications.models import Notification
from kesu.notifications.services import Notice, notify
from tests.concurrency.threads import Interleaving, postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def _batch(name, complaint, recipient):
    return [
        Notice(kind="overdue", event_key=f"{name}:{n}", recipients=[recipient],
               complaint=complaint, digest_key=f"sweep:{name}")
        for n in range(2)
    ]


@pytest.mark.parametrize("earlier", [False, True], ids=["no digest yet", "an unread digest"])
def test_two_batches_at_once_make_one_digest_with_every_item(
    earlier, engineer, make_complaint, monkeypatch
):
    complaint = make_complaint()
    if earlier:
        with transaction.atomic():
            notify(_batch("a", complaint, engineer))
    race = Interleaving()
    # The first worker stops once it has read the open digests; the second runs meanwhile.
    monkeypatch.setattr(services, "_open_digests", race.holding_after(services._open_digests))

    def sweeper(name):
        def work():
            with transaction.atomic():
                return notify(_batch(name, complaint, engineer))
        return work

    results = race.run(sweeper("b"), sweeper("c"))
    assert not [r for r in results if isinstance(r, BaseException)], results
    expected = (["a:0", "a:1"] if earlier else []) + ["b:0", "b:1", "c:0", "c:1"]
    [digest] = Notification.objects.filter(
        recipient=engineer, channel=ChannelKind.INAPP, kind=Kind.DIGEST
    )
    assert sorted(item["event_key"] for item in digest.context["items"]) == expected
    # By mail every item goes exactly once (the first digest was handed to the sender after
    # its commit, so later items wait in the next one).
    mails = Notification.objects.filter(recipient=engineer, channel=ChannelKind.EMAIL)
    assert sorted(item["event_key"] for row in mails for item in row.context["items"]) == expected
