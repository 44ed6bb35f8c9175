"""What each discipline of the 8D holds (SPEC §7), as validated documents.

Each discipline's content is one JSON document checked by the model below. A document is what a
signature signs (its canonical JSON is hashed, see `signing.py`), what the customer is shown and
what the PDF and workbook print, so one shape serves all of them. Labels live in `labels.py`.

`problems()` says what is still missing before a discipline can be signed off; it is the
"complete" test behind every gate. Dates are plain dates (a customer's "within 7 days" is a day).
"""

from enum import StrEnum
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from kesu.core import clock
from kesu.core.bounds import Day
from kesu.core.display import conjunction

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
TEXT_MAX = 4000
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=TEXT_MAX)]
Long = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20000)]
Quantity = Annotated[int, Field(ge=0, le=1_000_000_000)]
MAX_ROWS = 50


def _row(n: int, missing: list) -> str:
    """What one row still lacks, said once: "the owner and due date of action 2" rather than one
    "action 2: …" item per missing field."""
    return _("the %(missing)s of action %(n)d") % {"missing": conjunction(missing), "n": n}


def rows(model):
    return Annotated[list[model], Field(default_factory=list, max_length=MAX_ROWS)]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(StrEnum):
    """Where suspect stock is contained (D3)."""

    OUR_STOCK = "our_stock"
    IN_TRANSIT = "in_transit"
    AT_CUSTOMER = "at_customer"
    SIMILAR_PARTS = "similar_parts"


class SixM(StrEnum):
    """人机料法环测: the category of a root cause (D4)."""

    MAN = "man"
    MACHINE = "machine"
    MATERIAL = "material"
    METHOD = "method"
    ENVIRONMENT = "environment"
    MEASUREMENT = "measurement"


class CauseKind(StrEnum):
    OCCURRENCE = "occurrence"  # why it happened
    ESCAPE = "escape"  # why it was not detected


class RolloutKind(StrEnum):
    PRODUCT = "product"
    LINE = "line"
    PLANT = "plant"


class DocStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "na"


# --- D1 ---------------------------------------------------------------------------------------


class Member(Part):
    name: Short
    department: Short = ""
    role: Short = ""


class D1(Part):
    champion: Short = ""
    leader: Short = ""
    members: rows(Member)

    def problems(self):
        out = []
        if not self.champion:
            out.append(_("name the champion"))
        if not self.leader:
            out.append(_("name the team leader"))
        if not self.members:
            out.append(_("add at least one team member"))
        return out


# --- D2 ---------------------------------------------------------------------------------------


class IsIsNot(Part):
    aspect: Short
    is_: Text = Field("", alias="is")
    is_not: Text = ""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class D2(Part):
    # 5W2H
    what: Text = ""
    where: Text = ""
    when: Text = ""
    who: Text = ""
    why: Text = ""
    how: Text = ""
    how_many: Text = ""
    is_is_not: rows(IsIsNot)
    repeat: bool = False

    def problems(self):
        out = []
        if not (self.what and self.where and self.when and self.how_many):
            out.append(_("describe at least what, where, when and how many"))
        return out


# --- D3 ---------------------------------------------------------------------------------------


class Containment(Part):
    location: Location
    action: Text
    qty_checked: Quantity | None = None
    qty_bad: Quantity | None = None
    owner: Short = ""
    start: Day | None = None
    end: Day | None = None
    effectiveness: Text = ""

    @model_validator(mode="after")
    def _consistent(self):
        if (
            self.qty_checked is not None
            and self.qty_bad is not None
            and self.qty_bad > self.qty_checked
        ):
            raise ValueError(_("more found bad than checked"))
        if self.start and self.end and self.end < self.start:
            raise ValueError(_("ends before it starts"))
        return self


class D3(Part):
    actions: rows(Containment)

    def problems(self):
        if not self.actions:
            return [_("add at least one containment action")]
        out = []
        for n, row in enumerate(self.actions, 1):
            missing = [
                label
                for label, present in (
                    (pgettext("8D row", "owner"), row.owner),
                    (pgettext("8D row", "start date"), row.start),
                    (pgettext("8D row", "quantity checked"), row.qty_checked is not None),
                    (pgettext("8D row", "evidence of effectiveness"), row.effectiveness),
                )
                if not present
            ]
            if missing:
                out.append(_row(n, missing))
        return out


# --- D4 ---------------------------------------------------------------------------------------


class Cause(Part):
    statement: Text = ""
    whys: Annotated[list[Text], Field(default_factory=list, max_length=10)]
    category: SixM | None = None
    verification: Text = ""

    def missing(self) -> list[str]:
        """The parts still empty, as short nouns that follow the cause's name."""
        return [
            label
            for label, present in (
                (pgettext("cause", "statement"), self.statement),
                (pgettext("cause", "why chain"), any(self.whys)),
                (pgettext("cause", "6M category"), self.category is not None),
                (pgettext("cause", "verification"), self.verification),
            )
            if not present
        ]

    @property
    def empty(self) -> bool:
        return len(self.missing()) == 4


class D4(Part):
    occurrence: Cause = Field(default_factory=Cause)
    escape: Cause = Field(default_factory=Cause)

    def problems(self):
        # Both causes (SPEC §7): why it occurred and why it escaped detection. Each cause is
        # named once, with what it lacks after it (not "occurrence cause: statement, occurrence
        # cause: why chain…" under a heading that already says "occurrence and escape").
        if self.occurrence.empty and self.escape.empty:
            return [_("analyse both causes, occurrence and escape")]
        out = []
        for cause, label in ((self.occurrence, _("occurrence")), (self.escape, _("escape"))):
            if cause.empty:
                out.append(_("analyse the %(cause)s cause") % {"cause": label})
            elif missing := cause.missing():
                out.append(
                    _("the %(missing)s of the %(cause)s cause")
                    % {"missing": conjunction(missing), "cause": label}
                )
        return out


# --- D5 ---------------------------------------------------------------------------------------


class PermanentAction(Part):
    cause: CauseKind
    action: Text
    owner: Short = ""
    due: Day | None = None
    verified: bool = False
    verification: Text = ""


class D5(Part):
    actions: rows(PermanentAction)

    def problems(self):
        out = []
        uncovered = [
            kind for kind in (CauseKind.OCCURRENCE, CauseKind.ESCAPE)
            if not any(a.cause == kind for a in self.actions)
        ]
        if len(uncovered) == 2:
            out.append(_("an action against each cause, occurrence and escape"))
        elif uncovered:
            label = _("occurrence") if uncovered[0] == CauseKind.OCCURRENCE else _("escape")
            out.append(_("an action against the %(cause)s cause") % {"cause": label})
        for n, row in enumerate(self.actions, 1):
            missing = [
                label
                for label, present in (
                    (pgettext("8D row", "owner"), row.owner),
                    (pgettext("8D row", "due date"), row.due is not None),
                    # Verified before implementation (SPEC §7): a trial, a simulation, a first
                    # lot.
                    (
                        pgettext("8D row", "verification before implementation"),
                        row.verified and row.verification,
                    ),
                )
                if not present
            ]
            if missing:
                out.append(_row(n, missing))
        return out


# --- D6 ---------------------------------------------------------------------------------------


class Implementation(Part):
    action: Text
    owner: Short = ""
    planned: Day | None = None
    done: Day | None = None
    evidence: Text = ""


class D6(Part):
    implementations: rows(Implementation)
    # Containment stays in place until the permanent action works (SPEC §7).
    containment_removed: Day | None = None
    containment_removal_note: Text = ""

    def problems(self):
        out = []
        if not self.implementations:
            out.append(_("add the implementation of each permanent action"))
        today = timezone.localdate(clock.now())
        for n, row in enumerate(self.implementations, 1):
            if row.done is None or not row.evidence:
                out.append(_("implementation %(n)d: done date and evidence") % {"n": n})
            elif row.done > today:
                # Done is a fact, not a plan (issue 13): effect verification counts the lots
                # delivered from this day on.
                out.append(_("implementation %(n)d: the done date is in the future") % {"n": n})
        if self.containment_removed is None:
            out.append(_("the date containment was removed"))
        elif self.containment_removed > today:
            out.append(_("the date containment was removed is in the future"))
        return out


# --- D7 ---------------------------------------------------------------------------------------


class Rollout(Part):
    kind: RolloutKind
    target: Short
    owner: Short = ""
    due: Day | None = None
    done: Day | None = None


class DocumentUpdate(Part):
    status: DocStatus = DocStatus.OPEN
    reference: Short = ""


DOCUMENTS = ("pfmea", "control_plan", "work_instruction", "inspection_standard")


class D7(Part):
    rollout: rows(Rollout)
    pfmea: DocumentUpdate = Field(default_factory=DocumentUpdate)
    control_plan: DocumentUpdate = Field(default_factory=DocumentUpdate)
    work_instruction: DocumentUpdate = Field(default_factory=DocumentUpdate)
    inspection_standard: DocumentUpdate = Field(default_factory=DocumentUpdate)
    lesson_learned: Long = ""

    def problems(self):
        out = []
        for n, row in enumerate(self.rollout, 1):
            if row.done is None:
                out.append(_("roll-out %(n)d is not done") % {"n": n})
        if any(getattr(self, doc).status == DocStatus.OPEN for doc in DOCUMENTS):
            out.append(_("every document update done or not applicable"))
        if not self.lesson_learned:
            out.append(_("the lesson learned"))
        return out


# --- D8 ---------------------------------------------------------------------------------------


class D8(Part):
    recognition: Long = ""
    closure: Long = ""
    closed_on: Day | None = None

    def problems(self):
        out = []
        if not self.closure:
            out.append(_("the closing summary"))
        if self.closed_on is None:
            out.append(_("the closing date"))
        return out


CONTENT = {"d1": D1, "d2": D2, "d3": D3, "d4": D4, "d5": D5, "d6": D6, "d7": D7, "d8": D8}
CODES = tuple(CONTENT)


def parse(code: str, data) -> Part:
    """Validate a discipline's document; pydantic's ValidationError on bad input."""
    return CONTENT[code].model_validate(data)


def dump(document: Part) -> dict:
    """The stored (and signed) form: JSON types only, every field present."""
    return document.model_dump(mode="json", by_alias=True)


def empty(code: str) -> dict:
    return dump(CONTENT[code]())


def problems(code: str, content: dict) -> list[str]:
    return parse(code, content).problems()
