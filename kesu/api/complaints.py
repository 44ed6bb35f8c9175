"""Complaints over HTTP. Each operation parses, fetches through the access-checked getter, calls
one service and renders (STYLE habit 1); the rules are the services'."""


from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Status, UploadedFile

from kesu.api.errors import errors
from kesu.api.pages import PageParams, paginate
from kesu.api.schemas import (
    AttachmentOut,
    ComplaintIn,
    ComplaintItem,
    ComplaintOut,
    ComplaintPatch,
    EventOut,
    MessageIn,
    Params,
    TransitionIn,
    page_of,
)
from kesu.complaints import services
from kesu.complaints.access import allowed_transitions, complaint_get_for_user
from kesu.complaints.choices import Category, Kind, Severity, Visibility
from kesu.complaints.choices import Status as ComplaintStatus
from kesu.complaints.diagram import ACTORS_LEGEND, transitions_table
from kesu.complaints.downloads import attachment_download
from kesu.complaints.selectors import (
    TIMELINE_PAGE,
    ComplaintFilter,
    complaint_list,
    complaint_timeline,
    timeline_page,
)
from kesu.core.bounds import Day, Id
from kesu.org.models import Role

router = Router(tags=["complaints"])
MAX_EVENTS = 200
ComplaintPage = page_of(ComplaintItem, "ComplaintPage")


def _user(request):
    return request.auth


def _detail(request, complaint):
    complaint.allowed_actions = allowed_transitions(_user(request), complaint)
    return complaint


TRANSITIONS_DESCRIPTION = (
    "Take one step of the complaint workflow. Send the `version` you last read: if someone "
    "changed the complaint since, the answer is 409 `stale_version` and nothing is saved. "
    "A step not possible from the current state is 409 `invalid_transition` (also when an 8D "
    "gate is not met); a step your role may not take is 403 `not_allowed`. The steps the caller "
    "may take now are listed in `allowed_actions` of GET /complaints/{number}.\n\n"
    + ACTORS_LEGEND
    + "\n\n"
    "Rules the steps check: a quality complaint needs a quality engineer as tracker; "
    "`submit_plan` needs 8D D1–D5 (serious, major, repeat) or D2, D4, D5 (general); "
    "`submit_implementation` needs D6–D7 and `close` needs D8 when the full 8D applies; "
    "`dispatch_due_at` lies in the future; a handler belongs to the responsible department."
    "\n\n" + transitions_table()
)


class ComplaintQuery(Params):
    status: list[ComplaintStatus] | None = Field(None, description="Repeat for several.")
    kind: Kind | None = None
    category: Category | None = None
    severity: Severity | None = None
    customer: Id | None = Field(None, description="Customer id.")
    product: Id | None = Field(None, description="Product id.")
    department: Id | None = Field(None, description="Responsible department id.")
    received_from: Day | None = None
    received_to: Day | None = None
    text: str | None = Field(None, max_length=200, description="Words in number, title, …")


@router.get("/complaints", response={200: ComplaintPage, **errors(401, 422)})
def list_complaints(request, filters: Query[ComplaintQuery], page: Query[PageParams]):
    """Complaints the caller may see, newest first; `count` is the total for the filters."""
    complaints = complaint_list(_user(request), ComplaintFilter(**filters.model_dump()))
    # The items carry no clocks: none of the pages' prefetches (a third of the time).
    return paginate(complaints.prefetch_related(None), page)


@router.post("/complaints", response={201: ComplaintOut, **errors(401, 403, 422)})
def create_complaint(request, payload: ComplaintIn):
    """Record a complaint or feedback. Routing suggests department, handler and tracker."""
    complaint = services.complaint_create(
        actor=_user(request), data=payload.model_dump(mode="json")
    )
    complaint = complaint_get_for_user(_user(request), complaint.number)
    return Status(201, _detail(request, complaint))


@router.get("/complaints/{number}", response={200: ComplaintOut, **errors(401, 404)})
def read_complaint(request, number: str):
    complaint = complaint_get_for_user(_user(request), number)
    return _detail(request, complaint)


@router.patch(
    "/complaints/{number}", response={200: ComplaintOut, **errors(401, 403, 404, 409, 422)}
)
def update_complaint(request, number: str, payload: ComplaintPatch):
    """Edit the record while it is open: send `version` and only the fields that change."""
    complaint = complaint_get_for_user(_user(request), number)
    data = payload.model_dump(mode="json", exclude_unset=True)
    version = data.pop("version")
    complaint = services.complaint_update(
        actor=_user(request), complaint=complaint, version=version, data=data
    )
    return _detail(request, complaint_get_for_user(_user(request), number))


@router.post(
    "/complaints/{number}/transitions",
    response={200: ComplaintOut, **errors(401, 403, 404, 409, 422)},
    description=TRANSITIONS_DESCRIPTION,
)
def transition_complaint(request, number: str, payload: TransitionIn):
    complaint = complaint_get_for_user(_user(request), number)
    data = payload.model_dump(mode="json", exclude={"action", "version"}, exclude_none=True)
    services.complaint_transition(
        actor=_user(request),
        complaint=complaint,
        action=payload.action.value,
        version=payload.version,
        data=data,
    )
    return _detail(request, complaint_get_for_user(_user(request), number))


class EventPageQuery(Params):
    limit: int = Field(
        TIMELINE_PAGE, ge=1, le=MAX_EVENTS, description=f"Events per page, at most {MAX_EVENTS}."
    )
    before: Id | None = Field(None, description="The id of an event: the events just before it.")
    after: Id | None = Field(None, description="The id of an event: the events just after it.")


@router.get(
    "/complaints/{number}/events", response={200: list[EventOut], **errors(401, 404, 422)}
)
def complaint_events(request, number: str, page: Query[EventPageQuery], response: HttpResponse):
    """One page of the complaint's timeline, oldest first; a customer sees what is meant for
    them. Without `before` or `after`: the latest `limit` events. To read back, send as
    `before` the id of the first event you have; to read on (or follow new events), send as
    `after` the id of the last. Pages are cut on (time, id), so events recorded meanwhile
    never shift or repeat them. A `Link` header (RFC 8288) gives the `prev` page when there
    are earlier events and the `next` one when there are later events. An id that is not an
    event of this timeline (for this caller) is 422."""
    user = _user(request)
    complaint = complaint_get_for_user(user, number)
    found = timeline_page(
        user,
        complaint,
        before=page.before,
        after=page.after,
        limit=page.limit,
        related=("attachment__complaint", "attachment__uploaded_by"),
    )
    links = []
    path = request.path
    if found.earlier and found.events:
        links.append(f'<{path}?before={found.first_id}&limit={page.limit}>; rel="prev"')
    if found.later and found.events:
        links.append(f'<{path}?after={found.last_id}&limit={page.limit}>; rel="next"')
    if links:
        response["Link"] = ", ".join(links)
    events = found.events
    if user.role == Role.CUSTOMER:
        # Payloads name internal people and rules; the customer gets the notes meant for them.
        return [_without_payload(event) for event in events]
    return events


def _without_payload(event):
    event.payload = {}
    return event


@router.post(
    "/complaints/{number}/messages",
    response={201: EventOut, **errors(401, 403, 404, 422, 429)},
)
def post_message(request, number: str, payload: MessageIn):
    """A message on the complaint's thread. A customer's message is always visible to them.

    A customer contact may write 10 messages per complaint in 10 minutes and 50 a day, and 30
    in 10 minutes and 150 a day over all their complaints; beyond that the answer is 429
    `rate_limited`, with `Retry-After` in seconds and the time in the message."""
    complaint = complaint_get_for_user(_user(request), number)
    event = services.complaint_comment(
        actor=_user(request),
        complaint=complaint,
        text=payload.text,
        visibility=payload.visibility.value,
    )
    return Status(201, event)


@router.get(
    "/complaints/{number}/attachments",
    response={200: list[AttachmentOut], **errors(401, 404)},
)
def list_attachments(request, number: str):
    user = _user(request)
    complaint = complaint_get_for_user(user, number)
    events = complaint_timeline(user, complaint).filter(attachment__isnull=False)
    events = events.select_related("attachment__complaint", "attachment__uploaded_by")
    return [event.attachment for event in events]


@router.post(
    "/complaints/{number}/attachments",
    response={201: AttachmentOut, **errors(401, 403, 404, 422, 429)},
)
def upload_attachment(
    request,
    number: str,
    file: File[UploadedFile],
    visibility: Form[Visibility] = Visibility.INTERNAL,
):
    """Attach one file (multipart/form-data, field `file`). Size and type are checked. A
    customer contact may send 30 files per complaint in 10 minutes and 100 a day (60 and 300
    over all their complaints); beyond that the answer is 429 `rate_limited`."""
    complaint = complaint_get_for_user(_user(request), number)
    attachment = services.complaint_attach(
        actor=_user(request), complaint=complaint, upload=file, visibility=visibility.value
    )
    return Status(201, attachment)


@router.get(
    "/complaints/{number}/attachments/{attachment_id}",
    response={200: bytes, **errors(401, 404)},
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment.",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def download_attachment(request, number: str, attachment_id: Id):
    user = _user(request)
    complaint = complaint_get_for_user(user, number)
    return attachment_download(user, complaint, attachment_id)
