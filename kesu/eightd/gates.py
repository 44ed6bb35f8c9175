"""What the 8D must hold before the workflow may move on (SPEC §5 rules, §7).

- The plan goes to the customer only when the plan disciplines of the required form (full: D1–D5,
  short: D2, D4, D5) are complete and D5 is signed off.
- Implementation is reported done only with D6 complete (full form).
- A plan the customer rejected goes back to them only once the 8D they were shown has changed.
- The complaint closes only with every discipline its form requires complete and signed off
  (issue 13: D1–D4 left unsigned must not let it close).
A discipline is signed off by a valid approval (selectors.SIGN_OFF); D4 is complete only with
both causes (content.D4.problems).

The same functions judge the gates for the service and list what is missing for the pages: each
missing item is a `Problem` that links to its discipline on the 8D page.
"""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kesu.core.display import series
from kesu.core.workflow import GateRefused, Problem
from kesu.eightd.models import SHORT_TITLES, Decision, Purpose
from kesu.eightd.selectors import ReportView, latest_version, report_view

PLAN = ("d1", "d2", "d3", "d4", "d5")
PLAN_SIGNED = ("d5",)
IMPLEMENTATION = ("d6",)
CLOSURE = ("d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8")


def problems(view: ReportView, codes, *, signed: tuple[str, ...] = ()) -> list[Problem]:
    """What the required disciplines among `codes` still lack, in the report's order."""
    page = reverse("eightd_page", args=[view.complaint.number])
    missing = []
    for d in view.required:
        if d.code not in codes:
            continue
        if d.problems:
            message = _("%(discipline)s: %(missing)s") % {
                "discipline": SHORT_TITLES.get(d.code, d.label),
                "missing": series(d.problems),
            }
        elif d.code in signed and not d.signed_off:
            message = (
                _("%(discipline)s: approve it with your electronic signature")
                % {"discipline": d.label}
                if not d.needs_new_signature
                else _("%(discipline)s: edited after signing; sign it again")
                % {"discipline": d.label}
            )
        else:
            continue
        missing.append(Problem(message, f"{page}#{d.code}"))
    return missing


def _check(view: ReportView, codes, *, signed: tuple[str, ...] = ()) -> None:
    missing = problems(view, codes, signed=signed)
    if missing:
        raise GateRefused(
            _("The 8D is not ready: %(missing)s.")
            % {"missing": " · ".join(str(m) for m in missing)},
            problems=missing,
        )


def plan_problems(view: ReportView) -> list[Problem]:
    return problems(view, PLAN, signed=PLAN_SIGNED)


def rejected_unchanged(view: ReportView) -> Problem | None:
    """The customer rejected the last plan and the 8D they were shown is still as it was.

    "Changed" compares the disciplines' content frozen in the rejected version with their content
    now. Not the version's content hash: the snapshot also holds due dates, which the rejection
    itself restarts, and signatures. Not an edit time or the disciplines' version counters:
    those move on an internal note or an owner change, which the customer never sees, and on an
    edit undone again. What the customer would be shown is the test.
    """
    if not view.complaint.plan_rounds:
        return None  # never rejected (the rounds count rejections): no query on most pages
    plan = latest_version(view.complaint, Purpose.PLAN)
    if plan is None or plan.decision != Decision.REJECTED:
        return None
    shown = {d["code"]: d["content"] for d in plan.snapshot.get("disciplines", [])}
    # The same disciplines the customer document holds (selectors.customer_document).
    current = {d.code: d.content for d in view.disciplines if d.required or d.started}
    if shown != current:
        return None
    reason = Truncator(plan.reason.strip()).chars(120)
    message = (
        _("The customer rejected this plan: “%(reason)s”; change the plan before submitting it "
          "again.") % {"reason": reason}
        if reason
        else _("The customer rejected this plan; change the plan before submitting it again.")
    )
    return Problem(message, reverse("eightd_page", args=[view.complaint.number]))


def require_plan(complaint) -> None:
    view = report_view(complaint)
    rejected = rejected_unchanged(view)
    if rejected is not None:
        # Everything else still missing is listed too, so the page shows one full list.
        raise GateRefused(rejected.message, problems=[rejected, *plan_problems(view)])
    _check(view, PLAN, signed=PLAN_SIGNED)


def require_implementation(complaint) -> None:
    _check(report_view(complaint), IMPLEMENTATION)


def require_closure(complaint) -> None:
    """Every discipline the form requires, complete and approved; the unsigned ones named."""
    view = report_view(complaint)
    missing = problems(view, CLOSURE, signed=CLOSURE)
    if not missing:
        return
    incomplete = [d for d in view.required if d.code in CLOSURE and d.problems]
    unsigned = [
        SHORT_TITLES.get(d.code, d.label)
        for d in view.required
        if d.code in CLOSURE and not d.problems and not d.signed_off
    ]
    if unsigned and not incomplete:
        message = _(
            "The 8D is not approved: %(disciplines)s still need an approval signature."
        ) % {
            "disciplines": series(unsigned)
        }
    else:
        message = _("The 8D is not ready: %(missing)s.") % {
            "missing": " · ".join(str(m) for m in missing)
        }
    raise GateRefused(message, problems=missing)
