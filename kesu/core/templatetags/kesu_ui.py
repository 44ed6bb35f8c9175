"""Small presentation helpers shared by every app's templates; nothing here knows a domain app
(the complaint's own tags are in `complaints_ui`)."""

from django import template
from django.utils.text import capfirst

register = template.Library()


@register.filter
def verbose(obj_or_model, field_name: str) -> str:
    """The model's own (translated) label for a field, so a label is written once."""
    return capfirst(obj_or_model._meta.get_field(field_name).verbose_name)
