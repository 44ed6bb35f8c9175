from django.core.management.base import BaseCommand
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kesu.timelimits.sweeper import sla_sweep


class Command(BaseCommand):
    # Plain gettext: argparse cannot format a lazy description.
    help = gettext(
        "Raise the reminders, overdue notices and escalations that are due, once. "
        "The worker does this every minute; running it at the same time is safe."
    )

    def handle(self, *args, **options):
        result = sla_sweep()
        self.stdout.write(
            _(
                "Reminders: %(reminders)d, overdue: %(overdue)d, escalations: %(escalations)d."
            )
            % {
                "reminders": result.reminders,
                "overdue": result.overdue,
                "escalations": result.escalations,
            }
        )
        for alert in result.alerts:
            self.stderr.write(alert)
