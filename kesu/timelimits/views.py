from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from kesu.complaints.access import complaints_visible_to
from kesu.core import clock
from kesu.core.errors import KesuError
from kesu.core.forms import IsoDateField, MomentField
from kesu.org.models import User
from kesu.timelimits import services
from kesu.timelimits.access import can_see_on_time_rate
from kesu.timelimits.models import Step
from kesu.timelimits.selectors import on_time_rate, open_escalations


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
        # Scoped to what the user may see, like the complaint list every number opens.
        context["departments"], context["total"] = on_time_rate(
            user=request.user, start=start, end=end, now=now, by="department"
        )
        context["people"], _total = on_time_rate(
            user=request.user, start=start, end=end, now=now, by="assignee"
        )
        context["period"] = {
            "due_from": form.cleaned_data["start"].isoformat(),
            "due_to": form.cleaned_data["end"].isoformat(),
        }
    status = 200 if form.is_valid() else 422
    return render(request, "timelimits/on_time.html", context, status=status)


class EscalationForm(forms.Form):
    """What the person an escalation reached does: one comment, and the button says what."""

    ACTIONS = ("acknowledge", "reassign", "new_due")

    do = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    up_to = forms.IntegerField(min_value=1, max_value=2**62)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=services.COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    assignee = forms.ModelChoiceField(
        label=_("Give it to"), queryset=User.objects.filter(is_active=True), required=False
    )
    due_at = MomentField(
        label=_("New due time"), required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _visible_step(request, step_id) -> Step:
    """The step, if its complaint is one the user may see (the access-checked door)."""
    step = Step.objects.filter(
        pk=step_id, complaint__in=complaints_visible_to(request.user).values("pk")
    ).first()
    if step is None:
        raise Http404
    return step


def _act(request, step: Step, form: EscalationForm) -> str:
    data, actor = form.cleaned_data, request.user
    if data["do"] == "reassign":
        services.step_reassign(
            actor=actor, step_id=step.pk, assignee=data["assignee"], comment=data["comment"]
        )
        return _("The step is reassigned; they are told.")
    if data["do"] == "new_due":
        services.step_set_due(
            actor=actor, step_id=step.pk, due_at=data["due_at"], comment=data["comment"]
        )
        return _("The new due time is set; the clock counts to it.")
    services.escalation_acknowledge(
        actor=actor, step_id=step.pk, up_to=data["up_to"], comment=data["comment"]
    )
    return _("Acknowledged. It stays on the complaint's timeline.")


def _refusal(exc: KesuError) -> str:
    """The field messages say what to fix; the general one only when there are none."""
    found = [str(m) for messages_ in exc.field_errors.values() for m in messages_]
    return " ".join(found) if found else str(exc.message)


@login_required
@require_POST
def escalation_view(request, step_id):
    """Acknowledge, reassign or re-date an escalated step from "my work". htmx gets the
    item back (done, or with the refusal beside what was typed); a plain form, the page."""
    step = _visible_step(request, step_id)
    form = EscalationForm(request.POST)
    error, done = None, None
    if not form.is_valid():
        error = " ".join(str(m) for messages_ in form.errors.values() for m in messages_)
    else:
        try:
            done = _act(request, step, form)
        except KesuError as exc:
            error = _refusal(exc)
    if request.headers.get("HX-Request") == "true":
        now = clock.now()
        items = [] if done else open_escalations(request.user, now, step_id=step.pk)
        context = {"item": items[0] if items else None, "form": form, "error": error,
                   "done": done, "step": step, "now": now}
        return render(request, "timelimits/_escalation.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("my_work")
