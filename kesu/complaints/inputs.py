"""Parsing of raw input (HTML form posts and API JSON alike) into typed values.

Services call these so that the UI and the API give the same messages for the same bad input.
Only shape and reference checks live here; business rules stay in services.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.complaints.choices import CancelReason, Category, Channel, Kind, Remedy, Severity
from kesu.core.errors import ValidationFailed
from kesu.core.forms import ModelMultipleChoiceField, MomentField, WholeNumberField
from kesu.masterdata.models import Customer, DefectCode, Lot, Product
from kesu.org.models import Department, Role, User
from kesu.org.selectors import staff_users

MAX_TEXT = 20_000  # characters; a complaint description longer than this is not a description
MAX_NOTE = 10_000


class ComplaintInput(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    is_repeat = forms.BooleanField(label=_("Repeat of an earlier problem"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_at = MomentField(label=_("Received at"), required=False)
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.all())
    contact_name = forms.CharField(label=_("Contact"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=50, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    customer_reference = forms.CharField(
        label=_("Customer reference"), max_length=100, required=False
    )
    order_number = forms.CharField(label=_("Order number"), max_length=100, required=False)
    products = ModelMultipleChoiceField(
        label=_("Products"), queryset=Product.objects.filter(active=True)
    )
    lots = ModelMultipleChoiceField(
        label=_("Lots"), queryset=Lot.objects.all(), required=False
    )
    quantity_affected = WholeNumberField(
        label=_("Quantity affected"), min_value=0, max_value=1_000_000_000, required=False
    )
    defect_code = forms.ModelChoiceField(
        label=_("Defect code"), queryset=DefectCode.objects.filter(active=True), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=MAX_TEXT)
    remedies = forms.MultipleChoiceField(
        label=_("Remedy sought"),
        choices=Remedy.choices,
        error_messages={"required": _("Record what the customer asks for (ISO 10002).")},
    )
    remedy_detail = forms.CharField(label=_("Remedy details"), max_length=5000, required=False)


class TransitionInput(forms.Form):
    """Every input any transition can take; each transition uses the subset its row names."""

    note = forms.CharField(max_length=MAX_NOTE, required=False)
    responsible_department = forms.ModelChoiceField(
        label=_("Responsible department"), queryset=Department.objects.filter(active=True)
    )
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=staff_users())
    tracker = forms.ModelChoiceField(
        label=_("Tracker (QE)"), queryset=User.objects.filter(is_active=True, role=Role.QE)
    )
    team = ModelMultipleChoiceField(label=_("Improvement team"), queryset=staff_users())
    dispatch_due_at = MomentField(
        label=_("Department answer due"),
        help_text=_("Suggested by the time limit for accepting a dispatch, in business time."),
    )
    customer_feedback = forms.CharField(
        label=_("Customer's feedback on the result"), max_length=5000
    )
    cancel_reason = forms.ChoiceField(label=_("Reason"), choices=CancelReason.choices)

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name == "note":
                continue
            if name not in transition.inputs:
                del self.fields[name]
            else:
                self.fields[name].required = name in transition.required
        self.fields["note"].label = transition.note_label
        self.fields["note"].required = transition.note_required


def parse(form: forms.Form) -> dict:
    """Cleaned data of a bound form, or ValidationFailed carrying every field's messages."""
    if not form.is_valid():
        raise ValidationFailed(
            field_errors={field: list(errors) for field, errors in form.errors.items()}
        )
    return form.cleaned_data
