"""Notifications in the admin. Robots are configuration and are edited here (STYLE habit 6);
the outbox is a record: it is read, never added to, changed or deleted by hand."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kesu.core.admin import ReadOnlyAdminMixin
from kesu.notifications.channels import DeliveryFailed
from kesu.notifications.choices import Kind
from kesu.notifications.delivery import send_test
from kesu.notifications.models import DeliveryAttempt, Notification, Robot


class RobotForm(forms.ModelForm):
    # Robot webhooks are HTTPS; a bare host typed in means that.
    webhook_url = forms.URLField(label=_("webhook URL"), max_length=500, assume_scheme="https")
    kinds = forms.MultipleChoiceField(
        label=_("notification kinds"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kinds of notification it posts; none ticked posts every kind."),
    )

    class Meta:
        model = Robot
        fields = ["name", "kind", "webhook_url", "secret", "department", "kinds", "active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}


@admin.register(Robot)
class RobotAdmin(admin.ModelAdmin):
    form = RobotForm
    list_display = ["name", "kind", "department", "active"]
    list_filter = ["kind", "active", "department"]
    search_fields = ["name"]
    list_select_related = ["department"]
    actions = ["send_test_message"]

    def has_delete_permission(self, request, obj=None):
        # Robots keep their delivery history: deactivate instead.
        return False

    @admin.action(description=_("Send a test message"))
    def send_test_message(self, request, queryset):
        for robot in queryset:
            try:
                answer = send_test(robot)
            except DeliveryFailed as exc:
                self.message_user(
                    request,
                    _("%(robot)s: the test failed: %(detail)s")
                    % {"robot": robot, "detail": exc.detail},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _("%(robot)s: test message sent (%(answer)s).")
                    % {"robot": robot, "answer": answer},
                    messages.SUCCESS,
                )


class DeliveryAttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DeliveryAttempt
    fields = ["started_at", "finished_at", "ok", "detail"]
    readonly_fields = fields
    ordering = ["started_at", "id"]
    extra = 0


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "channel",
        "target_label",
        "complaint",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "kind"]
    search_fields = [
        "event_key",
        "complaint__number",
        "recipient__username",
        "recipient__display_name",
        "address",
        "robot__name",
        # A recipient's "I got this twice" or a bounce quotes the Message-ID header.
        "email_message_id",
    ]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "robot", "complaint"]
    inlines = [DeliveryAttemptInline]

    @admin.display(description=_("to"))
    def target_label(self, obj):
        return obj.target_label
