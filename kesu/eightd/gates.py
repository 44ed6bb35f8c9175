"""What the 8D must hold before the workflow may move on (SPEC §5 rules, §7).

- The plan goes to the customer only when the plan disciplines of the required form (full: D1–D5,
  short: D2, D4, D5) are complete and D5 is signed off.
- Implementation is reported done only with D6 complete (full form).
- The complaint closes only with D6, D7 and D8 complete and signed off (full form).
A discipline is signed off by a valid approval (selectors.SIGN_OFF); D4 is complete only with
both causes (content.D4.problems).
"""

from django.utils.translation import gettext as _

from kesu.core.errors import InvalidTransition
from kesu.eightd.selectors import ReportView, report_view


def _check(view: ReportView, codes, *, signed: tuple[str, ...] = ()) -> None:
    missing = []
    for d in view.required:
        if d.code not in codes:
            continue
        if d.problems:
            missing.append(f"{d.label}: {'; '.join(str(p) for p in d.problems)}")
        elif d.code in signed and not d.signed_off:
            missing.append(
                _("%(discipline)s: approve it with your electronic signature")
                % {"discipline": d.label}
                if not d.needs_new_signature
                else _("%(discipline)s: edited after signing; sign it again")
                % {"discipline": d.label}
            )
    if missing:
        raise InvalidTransition(_("The 8D is not ready: %(missing)s.") % {
            "missing": " · ".join(str(m) for m in missing)
        })


def require_plan(complaint) -> None:
    _check(report_view(complaint), ("d1", "d2", "d3", "d4", "d5"), signed=("d5",))


def require_implementation(complaint) -> None:
    _check(report_view(complaint), ("d6",))


def require_closure(complaint) -> None:
    codes = ("d6", "d7", "d8")
    _check(report_view(complaint), codes, signed=codes)
