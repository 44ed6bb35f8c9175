import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.calendars.models import Calendar
from kesu.calendars.services import calendar_seed_holidays
from kesu.core import clock

# The oldest year seeded by default, and the last one at least: due times reach into the next
# year well before New Year, so the year after the current one is always wanted.
FIRST_YEAR = 2024
LAST_YEAR_AT_LEAST = 2027


def year_range(value: str) -> list[int]:
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", value.strip())
    if not match:
        raise ValueError(value)
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise ValueError(value)
    return list(range(first, last + 1))


class Command(BaseCommand):
    help = gettext_lazy(
        "Seed China's public holidays and make-up working days (调休) into business calendars. "
        "Running it again changes nothing; days entered by hand are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            type=year_range,
            help=gettext_lazy(
                "A year or a range such as 2024-2027 (default: 2024 through next year, at "
                "least through 2027)."
            ),
        )
        parser.add_argument(
            "--calendar",
            help=gettext_lazy(
                "Code of one calendar (default: every calendar that observes public holidays)."
            ),
        )

    def handle(self, *args, **options):
        years = options["years"] or list(
            range(FIRST_YEAR, max(clock.now().year + 1, LAST_YEAR_AT_LEAST) + 1)
        )
        calendars = Calendar.objects.filter(is_24x7=False, observes_public_holidays=True)
        if options["calendar"]:
            calendars = Calendar.objects.filter(code=options["calendar"])
            calendar = calendars.first()
            if calendar is None:
                raise CommandError(
                    _("No calendar has the code %(code)s.") % {"code": options["calendar"]}
                )
            if calendar.is_24x7 or not calendar.observes_public_holidays:
                raise CommandError(
                    _("Calendar %(code)s does not observe public holidays.")
                    % {"code": calendar.code}
                )
        for calendar in calendars:
            result = calendar_seed_holidays(calendar=calendar, years=years)
            self.stdout.write(
                _("%(calendar)s (%(code)s):") % {"calendar": calendar.name, "code": calendar.code}
            )
            for seed in result.years:
                self.stdout.write("  " + self._summary(seed))
            if not result.changed:
                self.stdout.write("  " + _("Already up to date: nothing changed."))

    def _summary(self, seed) -> str:
        if seed.provisional:
            line = _(
                "%(year)s: provisional — no make-up days published yet, check the State Council "
                "notice (%(holidays)s holidays)"
            ) % {"year": seed.year, "holidays": seed.holidays}
        else:
            line = _("%(year)s: %(holidays)s holidays, %(workdays)s make-up days") % {
                "year": seed.year,
                "holidays": seed.holidays,
                "workdays": seed.workdays,
            }
        if seed.kept_manual:
            line += "; " + _("%(count)s days entered by hand kept") % {"count": seed.kept_manual}
        return line
