"""Background work of notifications: the after-commit send and the periodic safety net."""

from django_tasks import task

from kesu.notifications import delivery


@task()
def deliver_notifications(ids: list[int]) -> int:
    """Send the rows `notify` has just committed. Returns how many were sent; those that fail
    are left to the retries of `deliver_due_notifications`."""
    return sum(delivery.deliver(pk) for pk in ids)


@task()
def deliver_due_notifications() -> int:
    """Send whatever is due: retries, rows whose task was lost, rows of a worker that died.
    Meant to run every minute; idempotent, and safe with several workers."""
    return delivery.deliver_due()
