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
