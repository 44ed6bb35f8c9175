"""What the 8D must hold before the workflow may move on (SPEC §5 rules, §7).

- The plan goes to the customer only when the plan disciplines of the required form (full: D1–D5,
  short: D2, D4, D5) are complete and D5 is signed off.
- Implementation is reported done only with D6 complete (full form).
- The complaint closes only with D6, D7 and D8 complete and signed off (full form).
A discipline is signed off by a valid approval (selectors.SIGN_OFF); D4 is complete only with
both causes (content.D4.problems).

The same functions judge the gates for the service and list what is missing for the pages: each
missing item is a `Problem` that links to its discipline on the 8D page.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from kesu.core.display import series
from kesu.core.workflow import GateRefused, Problem
from kesu.eightd.models import SHORT_TITLES
from kesu.eightd.selectors import ReportView, report_view

PLAN = ("d1", "d2", "d3", "d4", "d5")
PLAN_SIGNED = ("d5",)
IMPLEMENTATION = ("d6",)
CLOSURE = ("d6", "d7", "d8")


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


def require_plan(complaint) -> None:
    _check(report_view(complaint), PLAN, signed=PLAN_SIGNED)


def require_implementation(complaint) -> None:
    _check(report_view(complaint), IMPLEMENTATION)


def require_closure(complaint) -> None:
    _check(report_view(complaint), CLOSURE, signed=CLOSURE)
