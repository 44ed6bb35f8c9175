"""The verification card's forms: each parses, fetches through the access-checked getters,
calls one service and goes back to the card."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kesu.complaints.access import complaint_or_404
from kesu.core.errors import KesuError, ValidationFailed
from kesu.verification import forms, selectors, services


def _back(complaint):
    return redirect(reverse("complaint_detail", args=[complaint.number]) + "#verification")


def _refused(request, form=None, error=None):
    texts = []
    if error is not None:
        texts = [str(m) for errors in error.field_errors.values() for m in errors] or [
            str(error.message)
        ]
    elif form is not None:
        texts = [str(m) for errors in form.errors.values() for m in errors]
    messages.error(request, _("Nothing was saved: %(why)s") % {"why": " ".join(texts)})


def _run(request, complaint, form, call, done: str):
    if not form.is_valid():
        _refused(request, form=form)
        return _back(complaint)
    try:
        call(form.cleaned_data)
    except KesuError as exc:
        _refused(request, error=exc)
        return _back(complaint)
    messages.success(request, done)
    return _back(complaint)


@login_required
@require_POST
def record_result(request, number):
    complaint = complaint_or_404(request, number, staff_only=True)
    form = forms.ResultForm(request.POST)

    def call(data):
        view = selectors.round_view(complaint)
        lot = next((row.lot for row in view.rows if row.lot.pk == data["lot"]), None)
        if lot is None:
            raise ValidationFailed(field_errors={"lot": [
                _("This lot is not one of the lots this verification watches.")
            ]})
        services.verification_record_result(
            actor=request.user, complaint=complaint, lot=lot, side=data["side"],
            result=data["result"], defect_code=data["defect_code"],
            quantity_checked=data["quantity_checked"], quantity_bad=data["quantity_bad"] or 0,
            inspected_on=data["inspected_on"], note=data["note"],
            same_defect=data["same_defect"],
        )

    return _run(request, complaint, form, call, _("The lot's result is recorded."))


@login_required
@require_POST
def override(request, number):
    complaint = complaint_or_404(request, number, staff_only=True)
    return _run(
        request, complaint, forms.OverrideForm(request.POST),
        lambda data: services.verification_override(
            actor=request.user, complaint=complaint, reason=data["reason"],
            password=data["password"],
        ),
        _("Closing before the clean lots is approved and signed."),
    )


@login_required
@require_POST
def propose(request, number):
    complaint = complaint_or_404(request, number, staff_only=True)
    return _run(
        request, complaint, forms.ProposeForm(request.POST),
        lambda data: services.verification_propose_outcome(
            actor=request.user, complaint=complaint, outcome=data["outcome"], note=data["note"],
        ),
        _("The outcome is proposed; someone other than the handler confirms it."),
    )


@login_required
@require_POST
def confirm(request, number):
    complaint = complaint_or_404(request, number, staff_only=True)
    return _run(
        request, complaint, forms.ConfirmForm(request.POST),
        lambda data: services.verification_confirm_outcome(
            actor=request.user, complaint=complaint, version=data["version"],
            password=data["password"],
        ),
        _("The outcome is confirmed and signed."),
    )
