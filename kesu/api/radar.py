"""The recurrence radar over HTTP (issue 13): earlier complaints that look like a draft or a
complaint, and linking a complaint to one of them."""

from ninja import Field, Router, Schema, Status

from kesu.api.errors import errors
from kesu.api.schemas import Input
from kesu.complaints.access import complaint_get_for_user, complaints_visible_to
from kesu.complaints.inputs import MAX_TEXT
from kesu.core.bounds import Id
from kesu.core.errors import NotAllowed, NotFound
from kesu.radar.models import LinkKind
from kesu.radar.selectors import Candidate, Draft, radar
from kesu.radar.services import can_link, radar_link

router = Router(tags=["radar"])


class DraftIn(Input):
    customer: Id | None = Field(None, description="Customer id.")
    products: list[Id] = Field(default_factory=list, max_length=50, description="Product ids.")
    defect_code: Id | None = Field(None, description="Defect code id.")
    title: str = Field("", max_length=200)
    description: str = Field("", max_length=MAX_TEXT)


class LearningOut(Schema):
    root_causes: list[str] = Field(description="D4: occurrence and escape causes.")
    actions: list[str] = Field(description="D5 permanent corrective actions.")
    rollout: list[str] = Field(description="D7 horizontal roll-out targets.")
    lesson: str = Field(description="D7 lesson learned.")


class CandidateOut(Schema):
    number: str
    title: str
    customer: str
    received_at: str
    status: str
    score: int = Field(description="0–100; shown from 30.")
    same_customer: bool
    same_product: bool
    same_defect: bool
    words: list[str] = Field(description="The draft's words also found in it.")
    reasons: list[str] = Field(description="Why it is shown, in the caller's language.")
    learning: LearningOut
    link: LinkKind | None = Field(None, description="How the complaint is linked to it already.")


class LinkIn(Input):
    earlier: str = Field(max_length=20, description="The earlier complaint's number.")
    kind: LinkKind


class LinkOut(Schema):
    complaint: str
    earlier: str
    kind: LinkKind
    recurrence_count: int = Field(description="The earlier complaint's count of recurrences.")


def _out(candidate: Candidate) -> dict:
    c = candidate.complaint
    learning = candidate.learning
    return {
        "number": c.number, "title": c.title, "customer": c.customer.name,
        "received_at": c.received_at.isoformat(), "status": c.status, "score": candidate.score,
        "same_customer": candidate.same_customer, "same_product": candidate.same_product,
        "same_defect": candidate.same_defect, "words": candidate.words,
        "reasons": candidate.reasons,
        "learning": {"root_causes": learning.root_causes, "actions": learning.actions,
                     "rollout": learning.rollout, "lesson": learning.lesson},
        "link": candidate.link,
    }


@router.post("/radar", response={200: list[CandidateOut], **errors(401, 403, 422)})
def radar_for_draft(request, payload: DraftIn):
    """Earlier complaints that look like a complaint being recorded, best first."""
    if request.auth.is_customer:
        raise NotAllowed()
    draft = Draft(
        customer_id=payload.customer, product_ids=payload.products,
        defect_code_id=payload.defect_code, text=f"{payload.title} {payload.description}",
    )
    return [_out(c) for c in radar(request.auth, draft)]


@router.get("/complaints/{number}/radar", response={200: list[CandidateOut], **errors(401, 404)})
def radar_for_complaint(request, number: str):
    """Earlier complaints that look like this one, best first."""
    if request.auth.is_customer:
        raise NotFound()
    complaint = complaint_get_for_user(request.auth, number)
    return [_out(c) for c in radar(request.auth, Draft.of(complaint))]


@router.post(
    "/complaints/{number}/links",
    response={201: LinkOut, **errors(401, 403, 404, 409, 422)},
)
def link_complaint(request, number: str, payload: LinkIn):
    """Link this complaint to an earlier one as a recurrence (counted on the earlier one's
    `recurrence_count`) or a duplicate; an event is written on both."""
    if request.auth.is_customer:
        raise NotFound()
    complaint = complaint_get_for_user(request.auth, number)
    if not can_link(request.auth, complaint):
        raise NotAllowed()
    earlier = complaint_get_for_user(request.auth, payload.earlier)
    radar_link(actor=request.auth, complaint=complaint, earlier=earlier, kind=payload.kind)
    count = complaints_visible_to(request.auth).filter(pk=earlier.pk).values_list(
        "recurrence_count", flat=True
    ).first()
    return Status(201, {
        "complaint": complaint.number, "earlier": earlier.number, "kind": payload.kind,
        "recurrence_count": count or 0,
    })
