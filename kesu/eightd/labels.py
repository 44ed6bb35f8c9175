"""The words of the 8D (SPEC §7), written once for the pages, the PDF and the workbook.

Two plain mappings, both lazily translated so they read in whatever language is active when
they are turned into text:

- ``FIELDS``: every field name of the documents in `content.py` -> its label. A name means the
  same thing wherever it appears (``owner`` is the owner of a row in D3 as in D7), so one flat
  mapping serves every discipline.
- ``CHOICES``: the name of a field that takes a fixed value -> {value -> label}
  (``CHOICES["location"]["our_stock"]``).

``ROW_LABELS`` names one row of each repeating list ("Containment action"), for "action 2"-style
headings. ``field_label`` and ``choice_label`` fall back to the raw key, never fail.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kesu.eightd.content import CauseKind, DocStatus, Location, RolloutKind, SixM
from kesu.eightd.profiles import FULL, SHORT

FIELDS = {
    # D1
    "champion": _("Champion"),
    "leader": _("Team leader"),
    "members": _("Team members"),
    "name": _("Name"),
    "department": _("Department"),
    "role": _("Role in the team"),
    # D2: 5W2H and is / is not
    "what": _("What happened"),
    "where": _("Where"),
    "when": _("When"),
    "who": _("Who found it"),
    "why": _("Why it is a problem"),
    "how": _("How it was found"),
    "how_many": _("How many"),
    "is_is_not": _("Is / is not"),
    "aspect": _("Aspect"),
    "is": _("Is"),
    "is_not": _("Is not"),
    "repeat": _("Repeat problem"),
    # D3
    "actions": _("Actions"),
    "location": _("Location"),
    "action": _("Action"),
    "qty_checked": _("Quantity checked"),
    "qty_bad": _("Quantity found bad"),
    "owner": _("Owner"),
    "start": _("Start"),
    "end": _("End"),
    "effectiveness": _("Evidence of effectiveness"),
    # D4
    "occurrence": _("Occurrence cause (why it happened)"),
    "escape": _("Escape cause (why it was not detected)"),
    "statement": _("Cause"),
    "whys": _("5-why chain"),
    "category": _("6M category"),
    "verification": _("Verification"),
    # D5
    "cause": _("Against cause"),
    "due": _("Due"),
    "verified": _("Verified before implementation"),
    # D6
    "implementations": _("Implementation"),
    "planned": _("Planned"),
    "done": _("Done"),
    "evidence": _("Evidence"),
    "containment_removed": _("Containment removed on"),
    "containment_removal_note": _("Removal of containment"),
    # D7
    "rollout": _("Horizontal roll-out"),
    "kind": _("Roll-out to"),
    "target": _("Target"),
    "pfmea": _("PFMEA"),
    "control_plan": _("Control plan"),
    "work_instruction": _("Work instruction"),
    "inspection_standard": _("Inspection standard"),
    "status": _("Status"),
    "reference": _("Document reference"),
    "lesson_learned": _("Lesson learned"),
    # D8
    "recognition": _("Team recognition"),
    "closure": _("Closing summary"),
    "closed_on": _("Closed on"),
}

LOCATIONS = {
    Location.OUR_STOCK: _("Our stock"),
    Location.IN_TRANSIT: _("In transit"),
    Location.AT_CUSTOMER: _("At the customer"),
    Location.SIMILAR_PARTS: _("Similar parts"),
}

# 人机料法环测: the context tells translators these are the six Ms, not people or machines.
SIX_M = {
    SixM.MAN: pgettext_lazy("6M", "Man"),
    SixM.MACHINE: pgettext_lazy("6M", "Machine"),
    SixM.MATERIAL: pgettext_lazy("6M", "Material"),
    SixM.METHOD: pgettext_lazy("6M", "Method"),
    SixM.ENVIRONMENT: pgettext_lazy("6M", "Environment"),
    SixM.MEASUREMENT: pgettext_lazy("6M", "Measurement"),
}

CAUSE_KINDS = {
    CauseKind.OCCURRENCE: _("Occurrence"),
    CauseKind.ESCAPE: _("Escape (detection)"),
}

ROLLOUT_KINDS = {
    RolloutKind.PRODUCT: _("Other product"),
    RolloutKind.LINE: _("Other line"),
    RolloutKind.PLANT: _("Other plant"),
}

DOC_STATUSES = {
    DocStatus.OPEN: _("Open"),
    DocStatus.DONE: _("Done"),
    DocStatus.NOT_APPLICABLE: _("Not applicable"),
}

CHOICES = {
    "location": LOCATIONS,
    "category": SIX_M,
    "cause": CAUSE_KINDS,
    "kind": ROLLOUT_KINDS,
    "status": DOC_STATUSES,
}

ROW_LABELS = {
    "members": _("Member"),
    "is_is_not": _("Comparison"),
    "actions": _("Action"),
    "implementations": _("Implementation"),
    "rollout": _("Roll-out target"),
}

FORMS = {
    FULL: _("Full 8D"),
    SHORT: _("Short form (D2, D4, D5)"),
}


def field_label(name: str):
    return FIELDS.get(name, name)


def choice_label(field: str, value):
    if value in (None, ""):
        return ""
    return CHOICES.get(field, {}).get(value, value)
