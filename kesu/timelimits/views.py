from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kesu.core import clock
from kesu.core.forms import IsoDateField
from kesu.timelimits.access import can_see_on_time_rate
from kesu.timelimits.selectors import on_time_rate


class PeriodForm(forms.Form):
    # ISO in and out: a Chinese locale would render 2026/11/01, which <input type=date> drops.
    start = IsoDateField(label=_("Due from"))
    end = IsoDateField(label=_("Due up to and including"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        if start and end and (end - start).days > 3660:
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        return cleaned


def _default_period() -> dict:
    today = timezone.localdate(clock.now())
    return {"start": today.replace(day=1), "end": today}


def _bounds(start, end) -> tuple[datetime, datetime]:
    begin = timezone.make_aware(datetime.combine(start, time.min))
    return begin, timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))


@login_required
@require_GET
def on_time_view(request):
    """处理及时率 per department and per person for the steps due in a chosen period."""
    if not can_see_on_time_rate(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET or _default_period())
    context = {"form": form}
    if form.is_valid():
        start, end = _bounds(form.cleaned_data["start"], form.cleaned_data["end"])
        now = clock.now()
        context["departments"], context["total"] = on_time_rate(
            start=start, end=end, now=now, by="department"
        )
        context["people"], _total = on_time_rate(start=start, end=end, now=now, by="assignee")
        context["period"] = {
            "due_from": form.cleaned_data["start"].isoformat(),
            "due_to": form.cleaned_data["end"].isoformat(),
        }
    status = 200 if form.is_valid() else 422
    return render(request, "timelimits/on_time.html", context, status=status)
