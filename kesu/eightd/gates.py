"""What the 8D must contain before the workflow may move on (SPEC §5 rules, §7).

Serious, major and repeat complaints need the full 8D; general ones may use the short form
(D2 problem, D4 causes, D5 actions).
"""

from django.utils.translation import gettext as _

from kesu.complaints.choices import Severity
from kesu.core.errors import InvalidTransition
from kesu.eightd.models import DISCIPLINES, EightDReport

SHORT_FORM = ("d2", "d4", "d5")
PLAN = ("d1", "d2", "d3", "d4", "d5")


def needs_full_8d(complaint) -> bool:
    return complaint.severity != Severity.GENERAL or complaint.is_repeat


def _require(complaint, disciplines) -> None:
    report = EightDReport.objects.filter(complaint=complaint).first()
    missing = [d for d in disciplines if not (report and getattr(report, d).strip())]
    if missing:
        raise InvalidTransition(
            _("Fill in the 8D first: %(missing)s.")
            % {"missing": "; ".join(str(DISCIPLINES[d]) for d in missing)}
        )


def required_for_plan(complaint) -> tuple[str, ...]:
    return PLAN if needs_full_8d(complaint) else SHORT_FORM


def require_plan(complaint) -> None:
    _require(complaint, required_for_plan(complaint))


def require_implementation(complaint) -> None:
    if needs_full_8d(complaint):
        _require(complaint, ("d6", "d7"))


def require_closure(complaint) -> None:
    if needs_full_8d(complaint):
        _require(complaint, ("d8",))
