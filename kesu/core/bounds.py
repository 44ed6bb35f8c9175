"""The whole numbers and dates Kesu accepts from outside, checked once for every edge.

A value the database or the business-time arithmetic cannot hold must be refused as bad input
(a 422 from the API, a form error on a page), never reach a query and fail there: SQLite raises
OverflowError for an integer outside 64 bits, PostgreSQL a DataError, and a date near year 1 or
9999 overflows when it is moved to UTC or a day is added to it.

The API's schemas use the annotated types (`DbInt`, `Id`, `Day`, `Moment`), the forms the
validators of the same checks (`kesu.core.forms` has the fields), so both say the same thing.
"""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, Field

# A signed 64-bit integer: SQLite's INTEGER and PostgreSQL's bigint (the ids are BigAutoField).
DB_INT_MIN = -(2**63)
DB_INT_MAX = 2**63 - 1

# Dates a complaint, an 8D or a report period can mean. Business time compiles calendars for
# years 2..9998 only and needs the day after a date; anything outside this window is a typing
# error ("0202" for "2026"), not a date the business knows.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def check_db_int(value: int) -> int:
    if not DB_INT_MIN <= value <= DB_INT_MAX:
        raise ValidationError(
            _("Enter a whole number between %(min)s and %(max)s."),
            code="out_of_range",
            params={"min": DB_INT_MIN, "max": DB_INT_MAX},
        )
    return value


def is_db_int(value) -> bool:
    """True unless `value` reads as an integer the database cannot hold (text that is not a
    number at all is left to the field that parses it)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return True
    return DB_INT_MIN <= number <= DB_INT_MAX


def check_day(value: date) -> date:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_DAY.isoformat(), "latest": LATEST_DAY.isoformat()},
        )
    return value


def _pydantic(check):
    """The check as a pydantic validator: its message becomes the field's error (the API's
    error handler shows a ValueError's text as it is)."""

    def validate(value):
        try:
            return check(value)
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None

    return AfterValidator(validate)


# Declared bounds appear in the OpenAPI document, so clients (and schemathesis) know them.
DbInt = Annotated[int, Field(ge=DB_INT_MIN, le=DB_INT_MAX)]
Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
Day = Annotated[date, _pydantic(check_day)]
Moment = Annotated[datetime, _pydantic(check_day)]
