"""How the 8D shows on pages: a discipline's state, its due time, its signatures, the labels
of its fields and values, and the compact summary on the complaint page.

Templates never read a `ReportView` attribute themselves (its `[code]` lookup is meant for
Python); they get lists from the view or from the tags here.
"""

from dataclasses import dataclass

from django import template
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kesu.complaints.choices import Kind
from kesu.eightd import labels
from kesu.timelimits.selectors import ClockView, clock_view

register = template.Library()


@dataclass(frozen=True)
class State:
    key: str
    label: str
    colour: str


def state_of(d) -> State:
    """One word for where a discipline stands; an edit after signing comes first, since the
    signature it voided is what the gates and the customer rely on."""
    if d.needs_new_signature:
        return State("resign", _("edited after signing: sign again"), "red")
    if d.signed_off:
        return State("signed", _("signed off"), "green")
    if d.complete:
        return State("complete", _("complete, not signed off yet"), "blue")
    count = len(d.problems)
    return State(
        "missing",
        ngettext("%(n)d item missing", "%(n)d items missing", count) % {"n": count},
        "orange",
    )


def clocks_of(disciplines, now) -> dict[str, ClockView]:
    """Each discipline's clock: open ones with business time left, finished ones as done.
    The steps' calendars are read in one query for all of them."""
    steps = [d.step for d in disciplines if d.step is not None]
    prefetch_related_objects(steps, "calendar")
    return {
        d.code: clock_view(d.step, now) if d.step.done_at is None else ClockView(d.step, "done",
                                                                                   None)
        for d in disciplines
        if d.step is not None
    }


@register.filter
def discipline_state(d) -> State:
    return state_of(d)


@register.filter
def field_label(name: str):
    return labels.field_label(name)


@register.filter
def choice_label(value, field: str):
    return labels.choice_label(field, value)


@register.filter
def short_label(label) -> str:
    """ "D3 Containment actions" -> "D3", for narrow cells."""
    return str(label).split(" ", 1)[0]


@register.inclusion_tag("eightd/_due.html")
def discipline_due(clock):
    return {"clock": clock}


@register.inclusion_tag("eightd/_signatures.html")
def signature_list(signatures, compact=False):
    return {"signatures": signatures, "compact": compact}


@register.inclusion_tag("eightd/_summary.html", takes_context=True)
def eightd_summary(context, report):
    """The 8D card of the complaint page. Customers read the 8D in the portal, so for them
    it is empty; feedback takes the short path without an 8D (SPEC §4)."""
    user = context["user"]
    if user.is_customer or report.complaint.kind != Kind.COMPLAINT:
        return {"show": False}
    disciplines = report.disciplines
    shown = context.get("clocks")
    if shown is None:
        clocks = clocks_of(disciplines, context["now"])
    else:
        # The page's time-limit card has read every step with its calendar already.
        by_step = {clock.step.pk: clock for clock in shown}
        clocks = {d.code: by_step.get(d.step.pk) for d in disciplines if d.step is not None}
    return {
        "show": True,
        "complaint": report.complaint,
        "form_label": labels.FORMS.get(report.form, report.form),
        "rows": [(d, clocks.get(d.code)) for d in disciplines],
    }


@register.filter
def row_label(rows: str):
    return labels.ROW_LABELS.get(rows, rows)
