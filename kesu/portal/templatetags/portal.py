"""Presentation helpers of the portal: the customer's words for statuses and events."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.complaints.choices import EventType
from kesu.portal.stages import customer_status, status_colour

register = template.Library()


@register.simple_tag
def customer_status_badge(status):
    return format_html(
        '<span class="badge badge-{}" data-status="{}">{}</span>',
        status_colour(status),
        status,
        customer_status(status),
    )


EVENT_LABELS = {
    EventType.CREATED: gettext_lazy("Complaint recorded"),
    EventType.COMMENT: gettext_lazy("Message"),
    EventType.ATTACHMENT: gettext_lazy("File"),
    EventType.INFO_REQUESTED: gettext_lazy("We asked you for information"),
    EventType.INFO_RECEIVED: gettext_lazy("Your information was received"),
    EventType.EIGHTD_SENT: gettext_lazy("8D report sent to you"),
}


@register.filter
def event_label(event) -> str:
    if event.type == EventType.TRANSITION:
        return _("Status: %(status)s") % {"status": customer_status(event.to_status)}
    return str(EVENT_LABELS.get(event.type, event.get_type_display()))
