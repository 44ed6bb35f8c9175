"""Calendar edits are kept with their old and new values (SPEC §13): a holiday changed by
hand moves every due time counted on the calendar, so who changed it and when must be known."""

from auditlog.registry import auditlog
from django.apps import apps

# Model label -> fields left out of the log. The revision and updated_at move with every
# edit and say nothing about what changed.
AUDITED = {
    "calendars.Calendar": ("revision", "updated_at"),
    "calendars.WorkingWindow": (),
    "calendars.CalendarDay": (),
    "calendars.CalendarYear": (),
}


def register_models() -> None:
    for label, excluded in AUDITED.items():
        auditlog.register(apps.get_model(label), exclude_fields=list(excluded))
