"""Time limits as data (SPEC §6): the policy table, the escalation ladder, and one clock row per
step of each complaint with its due time as an indexed column the sweeper watches."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kesu.complaints.choices import Category, Severity
from kesu.masterdata.models import CustomerGrade
from kesu.timelimits.steps import StepType

DEFAULT_REMINDER_PERCENTS = [50, 80]


def default_reminder_percents():
    return list(DEFAULT_REMINDER_PERCENTS)


class TimePolicy(models.Model):
    """Step × severity × customer grade × category → limit and calendar. Blank means "any";
    the most specific active row wins."""

    step = models.CharField(_("step"), max_length=20, choices=StepType.choices)
    severity = models.CharField(
        _("severity"), max_length=20, choices=Severity.choices, blank=True
    )
    customer_grade = models.CharField(
        _("customer grade"), max_length=20, choices=CustomerGrade.choices, blank=True
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), help_text=_("In business time of the calendar below.")
    )
    calendar = models.ForeignKey(
        "calendars.Calendar", verbose_name=_("calendar"), on_delete=models.PROTECT,
        related_name="+",
    )
    reminder_percents = models.JSONField(
        _("reminders at (percent of the limit)"), default=default_reminder_percents, blank=True,
        help_text=_("For example [50, 80]: remind at half and at four fifths of the limit."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["step", "severity", "customer_grade", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "severity", "customer_grade", "category"],
                condition=Q(active=True),
                name="one_active_policy_per_case",
            ),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="policy_minutes_positive"),
        ]

    def __str__(self):
        return f"{self.get_step_display()} {self.minutes}min"

    @property
    def specificity(self) -> int:
        return sum(bool(v) for v in (self.severity, self.customer_grade, self.category))

    def clean(self):
        percents = self.reminder_percents
        if not isinstance(percents, list) or not all(
            isinstance(p, int) and 0 < p < 100 for p in percents
        ):
            raise ValidationError(
                {"reminder_percents": _("A list of whole percentages between 1 and 99.")}
            )


class EscalationTarget(models.TextChoices):
    DEPT_MANAGER = "dept_manager", _("Department manager")
    PROCESS_OWNER = "process_owner", _("Process owner")
    CENTER_HEAD = "center_head", _("Center head")


class EscalationLevel(models.Model):
    """One rung of the ladder above the step's owner, who is told first when it is overdue."""

    level = models.PositiveSmallIntegerField(_("level"), unique=True)
    target = models.CharField(_("escalate to"), max_length=20, choices=EscalationTarget.choices)
    delay_minutes = models.PositiveIntegerField(
        _("after (minutes overdue)"), help_text=_("Business time after the due time.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation levels")
        ordering = ["level"]

    def __str__(self):
        return f"{self.level}: {self.get_target_display()}"


class Step(models.Model):
    """The clock of one step of one complaint: start, pauses, due, done, on time or late."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="steps"
    )
    type = models.CharField(_("step"), max_length=20, choices=StepType.choices)
    policy = models.ForeignKey(
        TimePolicy, null=True, on_delete=models.PROTECT, related_name="+"
    )
    calendar = models.ForeignKey(
        "calendars.Calendar", on_delete=models.PROTECT, related_name="+"
    )
    minutes = models.PositiveIntegerField(_("time limit (minutes)"))
    reminder_percents = models.JSONField(default=default_reminder_percents)
    started_at = models.DateTimeField(_("started"))
    # [[start, end or null], …] as ISO strings; an open pause means the clock is stopped.
    pauses = models.JSONField(default=list)
    # Null while paused, or when the calendar cannot say (see due_error).
    due_at = models.DateTimeField(_("due"), null=True)
    # A due time a person set by hand (at dispatch). `minutes` holds it rounded up to whole
    # business minutes for display; the clock counts to this instant itself, so the seconds of
    # the moment it was set do not leak into it.
    due_given_at = models.DateTimeField(null=True)
    # When that time was given. Pauses that began before it do not move it: whoever gave it
    # (a manager setting a new date on an escalated step) already saw them.
    due_given_on = models.DateTimeField(null=True)
    due_error = models.CharField(max_length=100, blank=True)
    done_at = models.DateTimeField(_("done"), null=True)
    on_time = models.BooleanField(_("on time"), null=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answers for it"), null=True,
        on_delete=models.PROTECT, related_name="+",
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), null=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # Alerts already taken care of (reminders, overdue, escalation levels, in that order), and
    # when the sweeper must look again. The sweeper claims a row by comparing both.
    stage = models.PositiveSmallIntegerField(default=0)
    next_check_at = models.DateTimeField(null=True)
    # Written by the sweeper's claim statement: which rows that statement won.
    sweep_token = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        verbose_name = _("step clock")
        verbose_name_plural = _("step clocks")
        ordering = ["started_at", "id"]
        indexes = [
            # The sweeper's only query: open steps whose next alert is due.
            models.Index(
                fields=["next_check_at"], condition=Q(done_at__isnull=True),
                name="step_open_next_check",
            ),
            models.Index(fields=["complaint", "done_at"]),
            models.Index(fields=["done_at"], name="step_done_at"),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.type}"

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None


class Reason(models.TextChoices):
    """Why due times were recalculated; stored as the code, read in the reader's language."""

    CLASSIFICATION = "classification", _("Classification changed")
    POLICY = "policy", _("Time limit changed")
    LADDER = "ladder", _("Escalation ladder changed")
    CALENDAR = "calendar", _("Calendar changed")


class DueRecalculation(models.Model):
    """Audit of a bulk recalculation of due times after a policy or calendar change."""

    at = models.DateTimeField(_("at"))
    reason = models.CharField(_("reason"), max_length=200, choices=Reason.choices)
    steps_checked = models.PositiveIntegerField(default=0)
    steps_changed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("due time recalculation")
        verbose_name_plural = _("due time recalculations")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_reason_display()}"


class Handling(models.TextChoices):
    """How the person an escalation reached dealt with it."""

    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    REASSIGNED = "reassigned", _("Reassigned")
    NEW_DUE = "new_due", _("New due date set")


class Escalation(models.Model):
    """An escalation as the person it reached has to deal with it (SPEC §6, issue 11 §5): it
    waits in their "my work" until they acknowledge it, reassign the step or set a new date.
    The timeline keeps the sweeper's event and the person's answer; this row only says whose
    list it is on.

    Written by the sweeper in the transaction that claims the step, one row per person on the
    ladder (a step three levels late: one each for the levels passed). The sweeper only inserts;
    a person acknowledging marks their own rows handled, by id up to what they saw, so a new
    escalation raised while someone acknowledges the last one stays on their list. Reassigning
    the step or giving it a new date answers it for everyone: every open row of the step."""

    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="escalations")
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("escalated to"), on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.PositiveSmallIntegerField(_("level"))
    target = models.CharField(_("escalate to"), max_length=20, choices=EscalationTarget.choices)
    raised_at = models.DateTimeField(_("raised at"))
    # The step's due time when it was raised (the escalation is about that deadline).
    due_at = models.DateTimeField(_("due"), null=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handling = models.CharField(
        _("handled by"), max_length=20, choices=Handling.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["raised_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "recipient", "level", "raised_at"], name="escalation_once"
            )
        ]
        indexes = [
            # "My work": a person's escalations not dealt with yet.
            models.Index(
                fields=["recipient", "raised_at"], condition=Q(handled_at__isnull=True),
                name="escalation_open",
            ),
        ]

    def __str__(self):
        return f"{self.step_id} → {self.recipient_id} ({self.level})"
