"""Presentation helpers of the portal: the customer's words for statuses and events."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from kesu.complaints.events import TRANSITION, event_type
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


@register.filter
def event_label(event) -> str:
    """How the customer reads an event: its type's portal label (kesu.complaints.events)."""
    if event.type == TRANSITION:
        return _("Status: %(status)s") % {"status": customer_status(event.to_status)}
    kind = event_type(event.type)
    return str(kind.portal_label or kind.label)
