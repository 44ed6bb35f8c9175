"""Reading effect verification: the round, the lots it watches with their results, and what is
missing before the complaint may close.

Lots come from the ERP by import or API at any time, and a result may be imported before or
after its lot. So the lots a round counts are read from the lots when asked, never kept as a
list a hook fills in: a lot imported while no hook ran (a bulk import, a restore, a lot created
in the admin) is counted all the same, and the gate judges exactly what the page shows.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kesu.complaints.choices import Status
from kesu.complaints.models import Complaint
from kesu.core import clock, memo
from kesu.core.workflow import GateRefused, Problem
from kesu.masterdata.models import Inspection, InspectionResult, InspectionSide, Lot
from kesu.verification.models import Outcome, Round

# Lots read past the N needed: NG lots of another defect and lots without a result yet do not
# count as clean, so the watch runs on until N clean lots; bounded so a page stays cheap.
LOOKAHEAD = 20


@dataclass
class LotRow:
    lot: Lot
    inspection: Inspection | None  # the customer's incoming inspection, else our outgoing one

    @property
    def result(self) -> str | None:
        return self.inspection.result if self.inspection else None

    @property
    def clean(self) -> bool:
        return self.result == InspectionResult.OK

    @property
    def pending(self) -> bool:
        return self.inspection is None


@dataclass
class RoundView:
    complaint: Complaint
    round: Round | None
    rows: list[LotRow] = field(default_factory=list)
    recurred: bool = False

    @property
    def required(self) -> int:
        return self.round.lots_required if self.round else 0

    @property
    def clean(self) -> int:
        return sum(1 for row in self.rows if row.clean)

    @property
    def pending(self) -> int:
        return sum(1 for row in self.rows if row.pending)

    @property
    def lots_ready(self) -> bool:
        """N clean lots, none of the lots before them still without a result."""
        return self.round is not None and self.clean >= self.required and not self.pending

    @property
    def overridden(self) -> bool:
        return bool(self.round and self.round.override_signature_id)

    @property
    def confirmed(self) -> bool:
        return bool(self.round and self.round.outcome_confirmed_at)

    def same_defect(self, row: LotRow) -> bool:
        code = self.complaint.defect_code_id
        return bool(
            row.result == InspectionResult.NG and code and row.inspection.defect_code_id == code
        )


def current_round(complaint) -> Round | None:
    return (
        Round.objects.filter(complaint=complaint)
        .select_related(
            "outcome_proposed_by", "outcome_confirmed_by", "override_signature", "recurred_lot"
        )
        .order_by("-number")
        .first()
    )


def candidate_lots(complaint, round: Round):
    """The lots of the complaint's products delivered to its customer from the implementation
    day on, in delivery order; the complaint's own (defective) lots never count. Only lots
    delivered by today (an ERP sends planned deliveries too), and for an ended round by the day
    it ended: a closed complaint shows the lots it was closed on."""
    until = timezone.localdate(round.ended_at or clock.now())
    products = Complaint.products.through.objects.filter(complaint=complaint).values(
        "product_id"
    )
    own = Complaint.lots.through.objects.filter(complaint=complaint).values("lot_id")
    return (
        Lot.objects.filter(
            customer_id=complaint.customer_id,
            product_id__in=products,
            delivery_date__gte=round.implemented_on,
            delivery_date__lte=until,
        )
        .exclude(pk__in=own)
        .order_by("delivery_date", "number")
    )


def _preferred(inspections) -> Inspection | None:
    by_side = {i.side: i for i in inspections}
    return by_side.get(InspectionSide.CUSTOMER) or by_side.get(InspectionSide.OUTGOING)


def watched_rows(complaint, round: Round) -> list[LotRow]:
    """The lots in delivery order up to the N-th clean one (two queries)."""
    lots = candidate_lots(complaint, round).prefetch_related(
        Prefetch("inspections", queryset=Inspection.objects.select_related("defect_code"))
    )[: round.lots_required + LOOKAHEAD]
    rows, clean = [], 0
    for lot in lots:
        row = LotRow(lot=lot, inspection=_preferred(lot.inspections.all()))
        rows.append(row)
        clean += row.clean
        if clean >= round.lots_required:
            break
    return rows


def round_view(complaint) -> RoundView:
    """The verification of a complaint as the card, the gate and the API read it; read once per
    page (`kesu.core.memo`), afresh inside a service."""
    return memo.remembered(("verification.round_view", complaint.pk), lambda: round_read(complaint))


def round_read(complaint) -> RoundView:
    round = current_round(complaint)
    if round is None:
        return RoundView(complaint=complaint, round=None)
    rows = watched_rows(complaint, round) if round.recurred_lot_id is None else []
    return RoundView(
        complaint=complaint, round=round, rows=rows, recurred=round.recurred_lot_id is not None
    )


def _url(complaint) -> str:
    return reverse("complaint_detail", args=[complaint.number]) + "#verification"


def closure_problems(complaint) -> list[Problem]:
    """What effect verification still lacks before the complaint may close."""
    view = round_view(complaint)
    url = _url(complaint)
    if view.round is None or not view.round.is_open:
        return [Problem(_("Effect verification has not started."), url)]
    missing = []
    if not view.lots_ready and not view.overridden:
        missing.append(Problem(
            _("%(clean)d of %(required)d clean lots delivered since implementation "
              "(or a signed approval to close earlier)")
            % {"clean": view.clean, "required": view.required},
            url,
        ))
    round = view.round
    if not round.outcome_confirmed_at:
        missing.append(Problem(
            _("the verification outcome, confirmed by someone other than the handler"), url
        ))
    elif round.outcome == Outcome.NOT_EFFECTIVE:
        missing.append(Problem(
            _("the outcome was confirmed not effective: report the recurrence instead"), url
        ))
    return missing


def require_verified(complaint) -> None:
    """The CLOSURE_READY gate's check (SPEC §5 step 7, seed 000)."""
    if complaint.status != Status.VERIFICATION:
        return  # the gate is on the close step from verification only
    missing = closure_problems(complaint)
    if missing:
        raise GateRefused(
            _("Effect verification is not complete: %(missing)s.")
            % {"missing": " · ".join(str(m) for m in missing)},
            problems=missing,
        )


def rounds_to_remind(today):
    """Open rounds whose reminder day has come (the partial index holds only these)."""
    return Round.objects.filter(remind_on__lte=today, ended_at__isnull=True).select_related(
        "complaint"
    )


def open_rounds():
    return Round.objects.filter(
        ended_at__isnull=True, complaint__status=Status.VERIFICATION
    ).select_related("complaint")


def open_rounds_watching(lot_ids: list[int]):
    """The open rounds that may count any of these lots: complaints of the lot's customer
    about the lot's product."""
    rounds = Round.objects.none()
    for customer, product in set(
        Lot.objects.filter(pk__in=lot_ids).values_list("customer_id", "product_id")
    ):
        rounds |= open_rounds().filter(
            complaint__customer_id=customer, complaint__products=product
        )
    return rounds.distinct()
