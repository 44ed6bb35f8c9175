from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.core.forms import IsoDateField, WholeNumberField
from kesu.masterdata.models import DefectCode, InspectionResult, InspectionSide
from kesu.verification.models import Outcome


class ResultForm(forms.Form):
    lot = WholeNumberField(widget=forms.HiddenInput)
    side = forms.ChoiceField(
        label=_("inspection"), choices=InspectionSide.choices, initial=InspectionSide.CUSTOMER
    )
    result = forms.ChoiceField(label=_("result"), choices=InspectionResult.choices)
    defect_code = forms.ModelChoiceField(
        label=_("defect code"), queryset=DefectCode.objects.filter(active=True), required=False
    )
    quantity_checked = WholeNumberField(label=_("quantity checked"), min_value=1)
    quantity_bad = WholeNumberField(label=_("quantity bad"), min_value=0, initial=0,
                                    required=False)
    inspected_on = IsoDateField(label=_("inspected on"))
    same_defect = forms.BooleanField(
        label=_("The same defect as the complaint"), required=False
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class OverrideForm(forms.Form):
    reason = forms.CharField(label=_("Why it may close before the clean lots"),
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ProposeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=Outcome.choices,
                                widget=forms.RadioSelect)
    note = forms.CharField(label=_("outcome note"), widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=2000, required=False)


class ConfirmForm(forms.Form):
    version = WholeNumberField(widget=forms.HiddenInput)
    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
