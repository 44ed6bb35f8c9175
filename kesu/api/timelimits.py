"""Step clocks, waiting on the customer, and the on-time rate over HTTP (SPEC §6)."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from kesu.api.errors import errors
from kesu.api.schemas import Input, Params
from kesu.complaints import services
from kesu.complaints.access import complaint_get_for_user
from kesu.complaints.inputs import MAX_NOTE
from kesu.core import clock
from kesu.core.bounds import Day, DbInt
from kesu.core.errors import NotAllowed, ValidationFailed
from kesu.org.models import Role
from kesu.timelimits.access import can_see_on_time_rate
from kesu.timelimits.selectors import complaint_clocks, on_time_rate

router = Router(tags=["time limits"])


class StepOut(Schema):
    type: str
    label: str
    state: str = Field(description="on-track, due-soon, overdue, paused, unknown or done.")
    minutes: int = Field(description="The time limit in business minutes.")
    calendar: str
    started_at: datetime
    due_at: datetime | None = Field(description="Null while paused or when unknown.")
    done_at: datetime | None
    on_time: bool | None
    remaining_minutes: int | None = Field(
        description="Business minutes left (negative: overdue by) for an open, running step."
    )
    due_error: str
    assignee: str | None


class InfoIn(Input):
    version: DbInt = Field(description="The complaint's version as you last read it.")
    note: str = Field("", max_length=MAX_NOTE)


class RateQuery(Params):
    start: Day
    end: Day = Field(description="Inclusive.")
    by: str = Field("department", pattern="^(department|assignee)$")


class RateRowOut(Schema):
    name: str
    on_time: int
    late: int
    pending: int
    rate: float | None


class RateOut(Schema):
    rows: list[RateRowOut]
    total: RateRowOut


def _user(request):
    return request.auth


@router.get("/complaints/{number}/steps", response={200: list[StepOut], **errors(401, 403, 404)})
def complaint_steps(request, number: str):
    """Every timed step of the complaint, with its due time in business time."""
    user = _user(request)
    complaint = complaint_get_for_user(user, number)
    if user.role == Role.CUSTOMER:
        raise NotAllowed()
    now = clock.now()
    return [
        {
            "type": view.step.type,
            "label": view.step.get_type_display(),
            "state": view.state,
            "minutes": view.step.minutes,
            "calendar": view.step.calendar.name,
            "started_at": view.step.started_at,
            "due_at": view.step.due_at,
            "done_at": view.step.done_at,
            "on_time": view.step.on_time,
            "remaining_minutes": int(view.remaining // timedelta(minutes=1))
            if view.remaining is not None
            else None,
            "due_error": view.step.due_error,
            "assignee": str(view.step.assignee) if view.step.assignee else None,
        }
        for view in complaint_clocks(complaint, now)
    ]


@router.post(
    "/complaints/{number}/info-request",
    response={200: dict, **errors(401, 403, 404, 409, 422)},
)
def request_info(request, number: str, payload: InfoIn):
    """Ask the customer for information: the question goes to them, every clock stops."""
    complaint = complaint_get_for_user(_user(request), number)
    complaint = services.complaint_request_info(
        actor=_user(request), complaint=complaint, version=payload.version, note=payload.note
    )
    return {"number": complaint.number, "version": complaint.version,
            "info_requested_at": complaint.info_requested_at}


@router.post(
    "/complaints/{number}/info-received",
    response={200: dict, **errors(401, 403, 404, 409, 422)},
)
def info_received(request, number: str, payload: InfoIn):
    """Record the customer's answer (a customer's own message does this by itself)."""
    complaint = complaint_get_for_user(_user(request), number)
    complaint = services.complaint_info_received(
        actor=_user(request), complaint=complaint, version=payload.version, note=payload.note
    )
    return {"number": complaint.number, "version": complaint.version,
            "info_requested_at": complaint.info_requested_at}


@router.get("/reports/on-time", response={200: RateOut, **errors(401, 403, 422)})
def on_time(request, query: Query[RateQuery]):
    """处理及时率 for the steps due in [start, end]: on time, late, not yet due."""
    if not can_see_on_time_rate(_user(request)):
        raise NotAllowed()
    if query.end < query.start:
        raise ValidationFailed(field_errors={"end": ["The period ends before it starts."]})
    start = timezone.make_aware(datetime.combine(query.start, time.min))
    end = timezone.make_aware(datetime.combine(query.end + timedelta(days=1), time.min))
    # The steps of the complaints this user may see, as on the page and the complaint list.
    rows, total = on_time_rate(
        user=_user(request), start=start, end=end, now=clock.now(), by=query.by
    )

    def out(row, name=None):
        return {"name": name or row.name, "on_time": row.on_time, "late": row.late,
                "pending": row.pending, "rate": row.rate}

    return {"rows": [out(r) for r in rows], "total": out(total, "total")}
