"""The lot page (issue 13): a lot as shipped and delivered, its inspection results, and the
form on which a quality engineer records one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kesu.core.errors import NotAllowed, ValidationFailed
from kesu.core.forms import IsoDateField, show_errors
from kesu.core.http import or_404
from kesu.masterdata.models import DefectCode, Inspection, InspectionResult, InspectionSide
from kesu.masterdata.selectors import lot_get, lot_inspections
from kesu.masterdata.services import inspection_record, may_record_inspection


def _field(name: str):
    return Inspection._meta.get_field(name)


class InspectionForm(forms.Form):
    side = forms.ChoiceField(label=_field("side").verbose_name, choices=InspectionSide.choices)
    result = forms.ChoiceField(
        label=_field("result").verbose_name,
        choices=InspectionResult.choices,
        widget=forms.RadioSelect,
    )
    defect_code = forms.ChoiceField(
        label=_field("defect_code").verbose_name,
        required=False,
        help_text=gettext_lazy("For NG; may be left empty until the analysis names it."),
    )
    quantity_checked = forms.IntegerField(
        label=_field("quantity_checked").verbose_name, min_value=1, max_value=2_147_483_647
    )
    quantity_bad = forms.IntegerField(
        label=_field("quantity_bad").verbose_name, min_value=0, max_value=2_147_483_647, initial=0
    )
    inspected_on = IsoDateField(label=_field("inspected_on").verbose_name)
    note = forms.CharField(
        label=_field("note").verbose_name,
        max_length=_field("note").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = DefectCode.objects.filter(active=True, parent__isnull=False).values_list(
            "code", "name"
        )
        self.fields["defect_code"].choices = [("", "—")] + [
            (code, f"{code} {name}") for code, name in codes
        ]


@login_required
@require_http_methods(["GET", "POST"])
def lot_view(request, number):
    """The lot, its results, and (for who may record one) the form for a result."""
    lot = or_404(lot_get, request.user, number)
    may_record = may_record_inspection(request.user)
    form = None
    if may_record:
        form = InspectionForm(request.POST or None, prefix="inspection")
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            values = dict(form.cleaned_data)
            side = values.pop("side")
            values["defect_code"] = values["defect_code"] or None
            try:
                written = inspection_record(
                    actor=request.user, lot=lot, side=side, values=values
                )
            except NotAllowed as exc:
                raise PermissionDenied from exc
            except ValidationFailed as exc:
                for message in show_errors(form, exc).values():
                    form.add_error(None, message)
            else:
                messages.success(request, _OUTCOMES[written.outcome])
                return redirect("masterdata:lot", number=lot.number)
    return render(
        request,
        "masterdata/lot.html",
        {"lot": lot, "inspections": lot_inspections(lot), "form": form},
        status=422 if form is not None and form.errors else 200,
    )


_OUTCOMES = {
    "created": gettext_lazy("The inspection result was recorded."),
    "updated": gettext_lazy("The inspection result was corrected."),
    "unchanged": gettext_lazy("The inspection result was already recorded as entered."),
}
