"""Row locks that serialise the writers of one complaint (STYLE habit 14).

The complaint row is the one lock per complaint: a workflow step that checks a gate (the 8D is
complete and signed) and the edit that could void it both take it first, so one of them sees the
other's committed result instead of both acting on what they read before. Writers that go on to
lock the complaint's steps take this lock first, so locks are always taken in the same order.
"""

from kesu.complaints.models import Complaint


def lock_complaint(complaint_pk) -> Complaint:
    """Lock the complaint row until the end of the current transaction; the row as locked.

    FOR NO KEY UPDATE rather than FOR UPDATE: inserting a row that references the complaint (an
    event, a notification, a step) takes FOR KEY SHARE on it, which FOR UPDATE would block. The
    sweeper inserts events while it holds step rows a transition may be waiting for; with FOR
    UPDATE the two would deadlock. Writers of the complaint still wait for each other.
    SQLite ignores the clause: it runs one writing transaction at a time anyway.
    """
    return Complaint.objects.select_for_update(no_key=True).get(pk=complaint_pk)
