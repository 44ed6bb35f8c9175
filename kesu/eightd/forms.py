"""The 8D edit forms: one per discipline, field for field as `content.py` defines them.

The forms only present inputs and turn what was posted into a content document. `content.py`
validates that document (its messages are put back on the row and field they are about) and
`services.discipline_update` writes it. Repeating rows are formsets: the existing rows plus
blank ones; blank or ticked-for-removal rows are dropped, so nothing needs JavaScript.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ValidationError

from kesu.core.forms import DayField, WholeNumberField
from kesu.eightd import content as docs
from kesu.eightd import labels
from kesu.eightd.services import MAX_NOTE
from kesu.signoff.models import Meaning

BLANK_ROWS = 2
MIN_WHYS = 5  # the 5-why chain; a chain written through the API may be longer
MAX_WHYS = 10
DATE_FORMAT = "%Y-%m-%d"


def _max_length(model: type[BaseModel], name: str) -> int | None:
    field = model.model_fields[name]
    for meta in field.metadata:
        if getattr(meta, "max_length", None):
            return meta.max_length
    return None


class TextField(forms.CharField):
    """Text as a document stores it: browsers post CRLF, which would make an untouched field
    look changed (and so void its signatures)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


def text(model, name, *, label=None, lines=None):
    """A text field as long as the document allows; long texts get a text area of `lines`."""
    limit = _max_length(model, name)
    if lines is None:
        lines = 2 if (limit or 0) > 200 else 1
    widget = forms.Textarea(attrs={"rows": lines}) if lines > 1 else forms.TextInput()
    return TextField(
        label=label or labels.FIELDS[name], required=False, max_length=limit, widget=widget
    )


def day(name):
    return DayField(
        label=labels.FIELDS[name],
        required=False,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
    )


def quantity(name):
    return WholeNumberField(
        label=labels.FIELDS[name], required=False, min_value=0, widget=forms.NumberInput()
    )


def choice(name, *, blank=True):
    options = list(labels.CHOICES[name].items())
    return forms.ChoiceField(
        label=labels.FIELDS[name],
        required=False,
        choices=[("", "—"), *options] if blank else options,
    )


def flag(name):
    return forms.BooleanField(label=labels.FIELDS[name], required=False)


def _empty(value) -> bool:
    return value in (None, "", False)


def _document_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


# --- Repeating rows ---------------------------------------------------------------------------


class RowForm(forms.Form):
    """One row of a list in a document. Fields are named as the document's keys, except where
    a key is a Python word (`KEYS`)."""

    model: type[BaseModel]
    KEYS: dict[str, str] = {}

    @classmethod
    def key(cls, name: str) -> str:
        return cls.KEYS.get(name, name)

    @classmethod
    def initial_from(cls, row: dict) -> dict:
        return {name: row.get(cls.key(name)) for name in cls.base_fields}

    def field_for(self, key: str) -> str | None:
        return next((name for name in self.fields if self.key(name) == key), None)

    def to_row(self) -> dict | None:
        """The row for the document; None when left blank."""
        data = {name: self.cleaned_data.get(name) for name in self.fields if name != "DELETE"}
        if all(_empty(value) for value in data.values()):
            return None
        row = {}
        for name, value in data.items():
            if isinstance(self.fields[name], forms.ChoiceField) and value == "":
                continue  # a required choice left open: the document says so
            row[self.key(name)] = _document_value(value)
        return row


class MemberForm(RowForm):
    model = docs.Member
    name = text(docs.Member, "name")
    department = text(docs.Member, "department")
    role = text(docs.Member, "role")


class IsIsNotForm(RowForm):
    model = docs.IsIsNot
    KEYS = {"is_": "is"}
    aspect = text(docs.IsIsNot, "aspect")
    is_ = text(docs.IsIsNot, "is_", label=labels.FIELDS["is"])
    is_not = text(docs.IsIsNot, "is_not")


class ContainmentForm(RowForm):
    model = docs.Containment
    location = choice("location")
    action = text(docs.Containment, "action")
    qty_checked = quantity("qty_checked")
    qty_bad = quantity("qty_bad")
    owner = text(docs.Containment, "owner")
    start = day("start")
    end = day("end")
    effectiveness = text(docs.Containment, "effectiveness")


class PermanentActionForm(RowForm):
    model = docs.PermanentAction
    cause = choice("cause")
    action = text(docs.PermanentAction, "action")
    owner = text(docs.PermanentAction, "owner")
    due = day("due")
    verified = flag("verified")
    verification = text(docs.PermanentAction, "verification")


class ImplementationForm(RowForm):
    model = docs.Implementation
    action = text(docs.Implementation, "action")
    owner = text(docs.Implementation, "owner")
    planned = day("planned")
    done = day("done")
    evidence = text(docs.Implementation, "evidence")


class RolloutForm(RowForm):
    model = docs.Rollout
    kind = choice("kind")
    target = text(docs.Rollout, "target")
    owner = text(docs.Rollout, "owner")
    due = day("due")
    done = day("done")


def _formset(form):
    return forms.formset_factory(
        form,
        extra=BLANK_ROWS,
        can_delete=True,
        max_num=docs.MAX_ROWS,
        validate_max=True,
        absolute_max=docs.MAX_ROWS,
    )


# --- One discipline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A part of a discipline's form: a group of fields, or a list of rows."""

    legend: object = None
    fields: tuple[str, ...] = ()
    rows: str = ""


class DisciplineForm(forms.Form):
    """The fields of one discipline that are not rows, with its owner and internal note.
    `PATHS` maps a field to where its value sits in the document (default: its own name)."""

    code: str
    ROWS: dict[str, type[RowForm]] = {}
    PATHS: dict[str, tuple[str, ...]] = {}

    # Read by DisciplineEditor.version: garbage is a stale page (409), not a form error.
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    owner = forms.ChoiceField(
        label=gettext_lazy("Owner of this discipline"), required=False, choices=()
    )
    internal_note = TextField(
        label=gettext_lazy("Internal note"),
        help_text=gettext_lazy("Not shown to the customer and not in what they receive."),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    OWN = ("version", "owner", "internal_note")

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *staff]

    @classmethod
    def path(cls, name: str) -> tuple[str, ...]:
        return cls.PATHS.get(name, (name,))

    @classmethod
    def initial_from(cls, document: dict) -> dict:
        initial = {}
        for name in cls.base_fields:
            if name in cls.OWN:
                continue
            value = document
            for key in cls.path(name):
                value = value.get(key) if isinstance(value, dict) else None
            initial[name] = value
        return initial

    def document_fields(self) -> list[str]:
        return [name for name in self.fields if name not in self.OWN]

    def fill(self, document: dict) -> None:
        for name in self.document_fields():
            target = document
            *parents, last = self.path(name)
            for key in parents:
                target = target.setdefault(key, {})
            target[last] = _document_value(self.cleaned_data.get(name))

    def field_for(self, loc: tuple) -> str | None:
        """The field a document error is about (its location in the document)."""
        for name in self.document_fields():
            if tuple(str(part) for part in loc[: len(self.path(name))]) == self.path(name):
                return name
        return None

    def sections(self) -> list[Section]:
        return [Section(fields=tuple(self.document_fields()))]


class D1Form(DisciplineForm):
    code = "d1"
    ROWS = {"members": MemberForm}
    champion = text(docs.D1, "champion")
    leader = text(docs.D1, "leader")

    def sections(self):
        return [Section(fields=("champion", "leader")), Section(labels.FIELDS["members"],
                                                                rows="members")]


FIVE_W_TWO_H = ("what", "where", "when", "who", "why", "how", "how_many")


class D2Form(DisciplineForm):
    code = "d2"
    ROWS = {"is_is_not": IsIsNotForm}
    what = text(docs.D2, "what")
    where = text(docs.D2, "where")
    when = text(docs.D2, "when")
    who = text(docs.D2, "who")
    why = text(docs.D2, "why")
    how = text(docs.D2, "how")
    how_many = text(docs.D2, "how_many")
    repeat = flag("repeat")

    def sections(self):
        return [
            Section(gettext_lazy("5W2H"), fields=FIVE_W_TWO_H),
            Section(labels.FIELDS["is_is_not"], rows="is_is_not"),
            Section(fields=("repeat",)),
        ]


class D3Form(DisciplineForm):
    code = "d3"
    ROWS = {"actions": ContainmentForm}

    def sections(self):
        return [Section(rows="actions")]


CAUSES = ("occurrence", "escape")


class D4Form(DisciplineForm):
    """Both causes, each with its statement, why chain, 6M category and verification."""

    code = "d4"

    def __init__(self, data=None, *args, initial=None, prefix=None, **kwargs):
        super().__init__(data, *args, initial=initial, prefix=prefix, **kwargs)
        self.whys = {}
        for cause in CAUSES:
            if data is not None:
                count = max(
                    (n for n in range(1, MAX_WHYS + 1)
                     if self.add_prefix(f"{cause}_why_{n}") in data),
                    default=0,
                )
            else:
                count = len(((initial or {}).get(f"{cause}_whys")) or ())
            count = min(max(count, MIN_WHYS), MAX_WHYS)
            self.fields[f"{cause}_statement"] = text(docs.Cause, "statement")
            names = []
            for n in range(1, count + 1):
                name = f"{cause}_why_{n}"
                self.fields[name] = text(
                    docs.Cause, "statement", label=_("Why %(n)d") % {"n": n}, lines=1
                )
                names.append(name)
            self.whys[cause] = names
            self.fields[f"{cause}_category"] = choice("category")
            self.fields[f"{cause}_verification"] = text(docs.Cause, "verification")

    @classmethod
    def initial_from(cls, document: dict) -> dict:
        initial = {}
        for cause in CAUSES:
            part = document.get(cause) or {}
            whys = list(part.get("whys") or ())
            initial[f"{cause}_whys"] = whys
            initial[f"{cause}_statement"] = part.get("statement")
            initial[f"{cause}_category"] = part.get("category")
            initial[f"{cause}_verification"] = part.get("verification")
            for n, why in enumerate(whys, 1):
                initial[f"{cause}_why_{n}"] = why
        return initial

    def fill(self, document: dict) -> None:
        for cause in CAUSES:
            category = self.cleaned_data.get(f"{cause}_category") or None
            document[cause] = {
                "statement": self.cleaned_data.get(f"{cause}_statement") or "",
                # A gap in the chain is closed up rather than kept as an empty why.
                "whys": [
                    self.cleaned_data[name] for name in self.whys[cause]
                    if self.cleaned_data.get(name)
                ],
                "category": category,
                "verification": self.cleaned_data.get(f"{cause}_verification") or "",
            }

    def field_for(self, loc):
        if len(loc) >= 2 and loc[0] in CAUSES:
            cause, key = loc[0], str(loc[1])
            if key == "whys":
                whys = self.whys[cause]
                index = loc[2] if len(loc) > 2 and isinstance(loc[2], int) else 0
                return whys[min(index, len(whys) - 1)]
            name = f"{cause}_{key}"
            return name if name in self.fields else None
        return None

    def sections(self):
        return [
            Section(
                labels.FIELDS[cause],
                fields=(f"{cause}_statement", *self.whys[cause], f"{cause}_category",
                        f"{cause}_verification"),
            )
            for cause in CAUSES
        ]


class D5Form(DisciplineForm):
    code = "d5"
    ROWS = {"actions": PermanentActionForm}

    def sections(self):
        return [Section(rows="actions")]


class D6Form(DisciplineForm):
    code = "d6"
    ROWS = {"implementations": ImplementationForm}
    containment_removed = day("containment_removed")
    containment_removal_note = text(docs.D6, "containment_removal_note")

    def sections(self):
        return [
            Section(rows="implementations"),
            Section(
                gettext_lazy("Removal of containment"),
                fields=("containment_removed", "containment_removal_note"),
            ),
        ]


class D7Form(DisciplineForm):
    code = "d7"
    ROWS = {"rollout": RolloutForm}
    PATHS = {
        f"{name}_{key}": (name, key) for name in docs.DOCUMENTS for key in ("status", "reference")
    }
    pfmea_status = choice("status", blank=False)
    pfmea_reference = text(docs.DocumentUpdate, "reference")
    control_plan_status = choice("status", blank=False)
    control_plan_reference = text(docs.DocumentUpdate, "reference")
    work_instruction_status = choice("status", blank=False)
    work_instruction_reference = text(docs.DocumentUpdate, "reference")
    inspection_standard_status = choice("status", blank=False)
    inspection_standard_reference = text(docs.DocumentUpdate, "reference")
    lesson_learned = text(docs.D7, "lesson_learned", lines=3)

    def sections(self):
        return [
            Section(labels.FIELDS["rollout"], rows="rollout"),
            *(
                Section(labels.FIELDS[name], fields=(f"{name}_status", f"{name}_reference"))
                for name in docs.DOCUMENTS
            ),
            Section(fields=("lesson_learned",)),
        ]


class D8Form(DisciplineForm):
    code = "d8"
    recognition = text(docs.D8, "recognition", lines=3)
    closure = text(docs.D8, "closure", lines=3)
    closed_on = day("closed_on")


FORMS = {form.code: form for form in (D1Form, D2Form, D3Form, D4Form, D5Form, D6Form, D7Form,
                                      D8Form)}


def _error_message(error: dict) -> str:
    """content.py's own messages as they are; pydantic's English ones said in Kesu's words."""
    ctx = error.get("ctx") or {}
    kind = error.get("type")
    if "error" in ctx:
        return str(ctx["error"])
    if kind in ("missing", "enum"):
        return _("Choose one.")
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length")}
    if kind == "too_long":
        return _("At most %(n)s rows.") % {"n": ctx.get("max_length")}
    if kind == "less_than_equal":
        return _("At most %(n)s.") % {"n": ctx.get("le")}
    if kind == "greater_than_equal":
        return _("At least %(n)s.") % {"n": ctx.get("ge")}
    return _("Enter a valid value.")


class DisciplineEditor:
    """The whole edit form of one discipline: its fields, its lists of rows, the version it was
    opened at. Bound to a POST it yields the document to save, or says what is wrong where."""

    def __init__(self, discipline, *, staff=(), data=None, more_rows=False):
        self.code = discipline.code
        form_class = FORMS[self.code]
        if discipline.owner_id and str(discipline.owner_id) not in {pk for pk, _ in staff}:
            # An owner who has left stays shown rather than silently dropped on the next save.
            staff = [*staff, (str(discipline.owner_id), str(discipline.owner))]
        document = discipline.content or {}
        initial = {
            **form_class.initial_from(document),
            "version": discipline.version,
            "owner": str(discipline.owner_id or ""),
            "internal_note": discipline.internal_note,
        }
        if data is not None and more_rows:
            data = data.copy()
            for name in form_class.ROWS:
                key = f"{self.code}-{name}-TOTAL_FORMS"
                try:
                    total = int(data.get(key, 0))
                except ValueError:
                    total = 0
                data[key] = str(min(total + BLANK_ROWS, docs.MAX_ROWS))
        self.form = form_class(data, prefix=self.code, initial=initial, staff=staff)
        self.rows = {
            name: _formset(row_form)(
                data,
                prefix=f"{self.code}-{name}",
                initial=[row_form.initial_from(row) for row in document.get(name) or ()],
            )
            for name, row_form in form_class.ROWS.items()
        }
        self._kept: dict[str, list[RowForm]] = {}

    @property
    def bound(self) -> bool:
        return self.form.is_bound

    def sections(self):
        """(section, bound fields or formset) in the order the page shows them."""
        return [
            (
                section,
                self.rows[section.rows]
                if section.rows
                else [self.form[name] for name in section.fields],
            )
            for section in self.form.sections()
        ]

    @property
    def version(self) -> int:
        """The version the form was opened at; anything unreadable counts as stale."""
        try:
            return int(self.form.data.get(self.form.add_prefix("version"), ""))
        except (TypeError, ValueError):
            return -1

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for formset in self.rows.values():
            valid = formset.is_valid() and valid
        if not valid:
            return False
        try:
            docs.parse(self.code, self.document())
        except ValidationError as exc:
            for error in exc.errors():
                self._place(tuple(error["loc"]), _error_message(error))
            return False
        return True

    def document(self) -> dict:
        document = {}
        self.form.fill(document)
        for name, formset in self.rows.items():
            kept = [
                form for form in formset.forms
                if not form.cleaned_data.get("DELETE") and form.to_row() is not None
            ]
            self._kept[name] = kept
            document[name] = [form.to_row() for form in kept]
        return document

    def _place(self, loc: tuple, message: str) -> None:
        if loc and loc[0] in self.rows:
            kept = self._kept.get(loc[0], [])
            if len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(kept):
                row = kept[loc[1]]
                row.add_error(row.field_for(str(loc[2])) if len(loc) > 2 else None, message)
                return
        name = self.form.field_for(loc)
        self.form.add_error(name, message)

    def show_service_errors(self, field_errors: dict) -> None:
        """A service's refusal, shown where it belongs (the note, the owner, or the form)."""
        for key, messages in field_errors.items():
            for message in messages:
                self.form.add_error(key if key in ("owner", "internal_note") else None,
                                    str(message))

    @property
    def errors(self) -> bool:
        return bool(self.form.errors) or any(
            formset.total_error_count() for formset in self.rows.values()
        )


class SignForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    meaning = forms.ChoiceField(
        label=gettext_lazy("Meaning of your signature"),
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, meanings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meaning"].choices = [(m, Meaning(m).label) for m in meanings]
        if len(meanings) == 1:
            self.fields["meaning"].initial = meanings[0]
