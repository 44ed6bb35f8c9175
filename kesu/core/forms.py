"""Presentation of the services' input forms on HTML pages.

Services validate raw dicts through `kesu.complaints.inputs`; pages render those same forms so
labels and messages are written once. These helpers change widgets and show the errors a
service raised; the fields below only add the bounds of `kesu.core.bounds` that every form
input of an id, a whole number or a date must respect.
"""

from django import forms

from kesu.core.bounds import check_day, check_db_int, is_db_int
from kesu.core.errors import ValidationFailed

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    """<input type=date> takes and gives ISO dates only: a localised value ("2026/11/01" in
    Chinese) is dropped by the browser and the field shows blank."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)


LONG_TEXT = 1000  # characters: a CharField longer than this is written in a text area


def present(form: forms.Form, *, checkboxes=(), textareas=()) -> forms.Form:
    """Swap widgets for ones that work on a phone and a laptop alike."""
    for name, field in form.fields.items():
        widget = None
        if isinstance(field, forms.DateTimeField):
            widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)
        elif isinstance(field, forms.DateField):
            widget = IsoDateInput()
        elif name in checkboxes:
            widget = forms.CheckboxSelectMultiple()
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            widget = forms.SelectMultiple(attrs={"size": 6})
        elif name in textareas or (
            isinstance(field, forms.CharField)
            and not isinstance(field, forms.EmailField)
            and (field.max_length or 0) > LONG_TEXT
        ):
            widget = forms.Textarea(attrs={"rows": 4})
        if widget is not None:
            give_widget(field, widget)
    return form


def give_widget(field: forms.Field, widget: forms.Widget) -> None:
    """Swap a field's widget after the form was built, keeping what the field puts on it
    (required, maxlength, its choices)."""
    widget.is_required = field.required
    widget.attrs.update(field.widget_attrs(widget))
    if hasattr(field, "choices"):
        widget.choices = field.choices
    field.widget = widget


def show_errors(form: forms.Form, error: ValidationFailed) -> dict[str, list[str]]:
    """Put a service's field errors on the form that was displayed.

    Returns the errors that belong to no field of the form (e.g. "files"), for the page to show
    next to whatever they are about.
    """
    # The form validates itself first: a service raising ValidationFailed from the same input
    # form gives the same messages, which are then not repeated.
    known = form.errors
    rest = {}
    for name, messages in error.field_errors.items():
        for message in messages:
            if name in form.fields:
                if str(message) not in [str(m) for m in known.get(name, [])]:
                    form.add_error(name, str(message))
            else:
                rest.setdefault(name, []).append(str(message))
    return rest


class DayField(forms.DateField):
    default_validators = [check_day]


class IsoDateField(DayField):
    """A date in the bounds, entered in an ISO date input whatever the language."""

    widget = IsoDateInput
    input_formats = [ISO_DATE]


class MomentField(forms.DateTimeField):
    default_validators = [check_day]


class WholeNumberField(forms.IntegerField):
    default_validators = [check_db_int]


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django looks the chosen ids up with `pk__in`, which is not guarded against integers the
    database cannot hold (SQLite raises OverflowError): such an id is an invalid choice."""

    def _check_values(self, value):
        for pk in value:
            if not is_db_int(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
