"""How a stored value reads to a person: payloads keep names, ISO times and booleans as JSON;
timelines, mail and exports show them the same way."""

from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _


def display_value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(display_value(item) for item in value) or "—"
    if isinstance(value, str) and "T" in value:
        # Payloads keep times as ISO 8601; people read them in local time.
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is not None and timezone.is_aware(moment):
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return str(value)


def msgid(label) -> str:
    """The untranslated text of a lazy label: stored, it is translated when read, in the
    reader's language."""
    with translation.override(None):
        return str(label)


def enumeration(items) -> str:
    """Items listed the way the active language lists them: 1、2、3 in Chinese, 1, 2, 3 else."""
    separator = "、" if (translation.get_language() or "").startswith("zh") else ", "
    return separator.join(str(item) for item in items)
