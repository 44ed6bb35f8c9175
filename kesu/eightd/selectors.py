"""Reading an 8D: every discipline with its content, what is missing, its signatures (valid or
not), its due date and owner. Pages, the portal, the API and the exports all read it here."""

from dataclasses import dataclass, field
from datetime import datetime

from kesu.core import memo
from kesu.eightd import content as docs
from kesu.eightd.models import DISCIPLINES, CustomerVersion, Discipline
from kesu.eightd.profiles import form_of, required_codes
from kesu.signoff.models import Meaning
from kesu.signoff.selectors import signatures_by_subject
from kesu.signoff.services import ShownSignature, content_hash
from kesu.timelimits.models import Step
from kesu.timelimits.steps import eightd_step_type

# Only an approval signs a discipline off; "reviewed" and "confirmed" are recorded statements.
SIGN_OFF = Meaning.APPROVED


def signed_document(complaint, discipline: Discipline) -> dict:
    """What a signature on this discipline signs: the complaint and discipline named, so a
    signature can never be carried over to another record."""
    return {
        "complaint": complaint.number,
        "discipline": discipline.code,
        "content": discipline.content,
    }


def discipline_hash(complaint, discipline: Discipline) -> str:
    return content_hash(signed_document(complaint, discipline))


@dataclass
class DisciplineView:
    discipline: Discipline
    required: bool
    problems: list[str]
    signatures: list[ShownSignature]
    step: Step | None
    hash: str

    @property
    def code(self) -> str:
        return self.discipline.code

    @property
    def label(self):
        return DISCIPLINES[self.code]

    @property
    def content(self) -> dict:
        return self.discipline.content

    @property
    def owner(self):
        return self.discipline.owner

    @property
    def complete(self) -> bool:
        return not self.problems

    @property
    def signed_off(self) -> bool:
        return any(s.valid and s.meaning == SIGN_OFF for s in self.signatures)

    @property
    def needs_new_signature(self) -> bool:
        """Signed once, edited since: the old signatures show as no longer valid."""
        return bool(self.signatures) and not any(s.valid for s in self.signatures)

    @property
    def due_at(self) -> datetime | None:
        return self.step.due_at if self.step else None

    @property
    def started(self) -> bool:
        return self.discipline.version > 1


@dataclass
class ReportView:
    complaint: object
    form: str
    disciplines: list[DisciplineView] = field(default_factory=list)

    def __getitem__(self, code: str) -> DisciplineView:
        for discipline in self.disciplines:
            if discipline.code == code:
                return discipline
        # KeyError, so that templates looking up attributes fall through to them.
        raise KeyError(code)

    @property
    def required(self) -> list[DisciplineView]:
        return [d for d in self.disciplines if d.required]


def report_view(complaint) -> ReportView:
    """The 8D of a complaint, in four queries whatever its size; read once per page when the
    page asks for it in several places (`kesu.core.memo`)."""
    return memo.remembered(("eightd.report_view", complaint.pk), lambda: _report_view(complaint))


def _report_view(complaint) -> ReportView:
    disciplines = list(
        Discipline.objects.filter(report__complaint=complaint)
        .select_related("owner", "updated_by")
        .order_by("code")
    )
    hashes = {d.subject: discipline_hash(complaint, d) for d in disciplines}
    signatures = signatures_by_subject(hashes)
    steps = {}
    # The latest step of each discipline: a reopened complaint may have had earlier ones.
    for step in complaint.steps.filter(type__startswith="eightd_").order_by("started_at", "pk"):
        steps[step.type] = step
    required = set(required_codes(complaint))
    view = ReportView(complaint=complaint, form=form_of(complaint))
    for discipline in disciplines:
        view.disciplines.append(
            DisciplineView(
                discipline=discipline,
                required=discipline.code in required,
                problems=docs.problems(discipline.code, discipline.content),
                signatures=signatures.get(discipline.subject, []),
                step=steps.get(eightd_step_type(discipline.code)),
                hash=hashes[discipline.subject],
            )
        )
    return view


def customer_document(view: ReportView) -> dict:
    """The customer-visible 8D as plain JSON: what the portal shows, what a version freezes and
    what the exports print. Internal notes stay out; disciplines outside the required form
    appear only if somebody wrote them."""
    complaint = view.complaint
    return {
        "complaint": {
            "number": complaint.number,
            "title": complaint.title,
            "customer": str(complaint.customer),
            "customer_reference": complaint.customer_reference,
            "received_at": complaint.received_at.isoformat(),
            "products": [str(p) for p in complaint.products.all()],
            "lots": [lot.number for lot in complaint.lots.all()],
            "quantity_affected": complaint.quantity_affected,
        },
        "form": view.form,
        "disciplines": [
            {
                "code": d.code,
                "content": d.content,
                "owner": str(d.owner) if d.owner else "",
                "due_at": d.due_at.isoformat() if d.due_at else None,
                "signatures": [s.as_dict() for s in d.signatures],
            }
            for d in view.disciplines
            if d.required or d.started
        ],
    }


def customer_versions(complaint):
    return CustomerVersion.objects.filter(report__complaint=complaint).select_related(
        "shared_by", "decided_by"
    )


def latest_version(complaint, purpose: str | None = None) -> CustomerVersion | None:
    versions = customer_versions(complaint)
    if purpose:
        versions = versions.filter(purpose=purpose)
    return versions.order_by("-number").first()


# --- What search and the recurrence radar read of the 8D (issue 13) ----------------------------


def _causes(content: dict) -> list[str]:
    out = []
    for kind in ("occurrence", "escape"):
        cause = content.get(kind) or {}
        if cause.get("statement"):
            out.append(cause["statement"])
    return out


def search_texts(complaint_ids: list[int]) -> dict[int, str]:
    """The 8D's words in the complaints' search documents: the D4 root causes (statements, why
    chains, verification) and the D7 lesson learned. One query."""
    texts: dict[int, list[str]] = {}
    rows = Discipline.objects.filter(
        report__complaint_id__in=complaint_ids, code__in=("d4", "d7")
    ).values_list("report__complaint_id", "code", "content")
    for complaint_id, code, content in rows:
        content = content or {}
        parts = texts.setdefault(complaint_id, [])
        if code == "d4":
            for kind in ("occurrence", "escape"):
                cause = content.get(kind) or {}
                parts.extend([cause.get("statement") or "", cause.get("verification") or ""])
                parts.extend(why for why in cause.get("whys") or [] if isinstance(why, str))
        else:
            parts.append(content.get("lesson_learned") or "")
    return {pk: " ".join(p for p in parts if p) for pk, parts in texts.items()}


@dataclass
class Learning:
    """What an earlier complaint's 8D says the team learned, for the recurrence radar."""

    root_causes: list[str] = field(default_factory=list)  # D4: occurrence, escape
    actions: list[str] = field(default_factory=list)  # D5 permanent actions
    rollout: list[str] = field(default_factory=list)  # D7 horizontal roll-out targets
    lesson: str = ""  # D7

    def __bool__(self) -> bool:
        return bool(self.root_causes or self.actions or self.rollout or self.lesson)


def learnings(complaint_ids: list[int]) -> dict[int, Learning]:
    """D4 root causes, D5 actions, D7 roll-out and lesson learned of these complaints' 8Ds, by
    complaint id. One query, whatever the number of complaints."""
    out: dict[int, Learning] = {pk: Learning() for pk in complaint_ids}
    rows = Discipline.objects.filter(
        report__complaint_id__in=complaint_ids, code__in=("d4", "d5", "d7")
    ).values_list("report__complaint_id", "code", "content")
    for complaint_id, code, content in rows:
        content = content or {}
        learning = out[complaint_id]
        if code == "d4":
            learning.root_causes = _causes(content)
        elif code == "d5":
            learning.actions = [
                row["action"] for row in content.get("actions") or [] if row.get("action")
            ]
        else:
            learning.rollout = [
                row["target"] for row in content.get("rollout") or [] if row.get("target")
            ]
            learning.lesson = content.get("lesson_learned") or ""
    return out


def implemented_on(complaint):
    """The day the permanent actions were implemented, as D6 records it: the latest done date
    of its implementations; None while D6 records none. Effect verification counts the lots
    delivered from that day on."""
    d6 = Discipline.objects.filter(report__complaint=complaint, code="d6").values_list(
        "content", flat=True
    ).first()
    if not d6:
        return None
    try:
        document = docs.parse("d6", d6)
    except ValueError:
        return None
    done = [row.done for row in document.implementations if row.done is not None]
    return max(done) if done else None
