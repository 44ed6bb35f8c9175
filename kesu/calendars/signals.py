"""What the calendars tell the apps built on them, without importing them (STYLE habit 13)."""

from django.dispatch import Signal

# Sent after the commit of an edit of a calendar's working time, holidays or make-up days, with
# `calendar_id`: whatever was counted on that calendar (due times) is to be counted again.
calendar_edited = Signal()
