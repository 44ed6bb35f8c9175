import os
import secrets
import unicodedata

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.complaints.models import Complaint
from kesu.masterdata.models import Customer, Product
from kesu.org.models import Center, Department, User

PASSWORD_ENV = "KESU_DEMO_PASSWORD"


class Command(BaseCommand):
    help = gettext_lazy(
        "Load the demo company (organisation, master data, routing rules and complaints in "
        "every state) into an empty database and print the demo logins. The password is "
        "KESU_DEMO_PASSWORD if set, else a random one printed once."
    )

    def handle(self, *args, **options):
        # Imported here: the demo is the command's business only, nothing else may import it.
        from kesu.demo import data
        from kesu.demo.loader import DemoLoader

        usernames = [u[0] for u in data.USERS] + [c.login for c in data.CUSTOMERS]
        if (
            Center.objects.filter(code=data.CENTERS[0][0]).exists()
            and User.objects.filter(username="agent").exists()
        ):
            self.stdout.write(_("The demo data is already loaded; nothing was changed."))
            return
        for model in (Complaint, Customer, Product, Department, Center):
            if model.objects.exists():
                raise CommandError(
                    _(
                        "The database already holds %(what)s; the demo is loaded only into an "
                        "empty database."
                    )
                    % {"what": model._meta.verbose_name_plural}
                )
        taken = sorted(
            User.objects.filter(username__in=usernames).values_list("username", flat=True)
        )
        if taken:
            raise CommandError(
                _("These usernames are already taken: %(names)s.") % {"names": ", ".join(taken)}
            )

        password = os.environ.get(PASSWORD_ENV) or _random_password()
        try:
            # Held to the same rules as any other password: the demo logins are real accounts.
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(f"{PASSWORD_ENV}: {' '.join(exc.messages)}") from exc
        loader = DemoLoader(password=password)
        with transaction.atomic():
            loader.load()
        self.print_logins(loader, password, from_env=bool(os.environ.get(PASSWORD_ENV)))

    def print_logins(self, loader, password, *, from_env):
        users = list(loader.users.values()) + list(loader.contacts.values())
        rows = [(_("Username"), _("Role"), _("Department / customer"), _("Name"))]
        for user in users:
            where = user.department.name if user.department_id else ""
            if user.customer_id:
                where = user.customer.name
            rows.append((user.username, str(user.get_role_display()), where, user.display_name))
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data loaded: %(complaints)d complaints, %(users)d logins.")
                % {"complaints": len(loader.complaints), "users": len(users)}
            )
        )
        self.stdout.write("")
        for index, row in enumerate(rows):
            self.stdout.write(
                "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip()
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write("")
        if from_env:
            self.stdout.write(
                _("Password of every demo login: the value of %(env)s.") % {"env": PASSWORD_ENV}
            )
        else:
            self.stdout.write(
                _("Password of every demo login (shown only now): %(password)s")
                % {"password": password}
            )
        self.stdout.write(_("The Django admin is at /admin/ (login: admin)."))


def _width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _random_password() -> str:
    """Twelve URL-safe random characters that pass the password validators (an all-digit
    draw is the only way one could fail, and is drawn again)."""
    while True:
        password = secrets.token_urlsafe(9)
        if not password.isdigit():
            return password
