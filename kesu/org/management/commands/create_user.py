import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kesu.masterdata.models import Customer
from kesu.org.models import Department, Role, User

PASSWORD_ENV = "KESU_NEW_USER_PASSWORD"


class Command(BaseCommand):
    # Plain gettext: argparse cannot format a lazy description.
    help = gettext(
        "Create a user without prompting. The password comes from --password or, to keep it "
        "out of the shell history, from the environment variable KESU_NEW_USER_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password")
        parser.add_argument(
            "--role", required=True, help=_("One of: %(roles)s") % {"roles": ", ".join(Role.values)}
        )
        parser.add_argument("--department", help=_("Department code."))
        parser.add_argument("--customer", help=_("Customer code, for customer contacts."))
        parser.add_argument("--display-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, **options):
        username = options["username"]
        password = options["password"] or os.environ.get(PASSWORD_ENV)
        if not password:
            raise CommandError(
                _("Give a password with --password or %(env)s.") % {"env": PASSWORD_ENV}
            )
        if options["role"] not in Role.values:
            raise CommandError(
                _("Unknown role %(role)s; choose one of: %(roles)s.")
                % {"role": options["role"], "roles": ", ".join(Role.values)}
            )
        role = Role(options["role"])
        # A customer contact sees only its company's complaints, so it must have one; staff
        # bound to a customer would be scoped like a customer by mistake.
        if role == Role.CUSTOMER and not options["customer"]:
            raise CommandError(_("A customer contact needs --customer."))
        if role != Role.CUSTOMER and options["customer"]:
            raise CommandError(_("Only customer contacts belong to a customer."))
        department = _get_by_code(
            Department, options["department"], _("Unknown department code %(code)s.")
        )
        customer = _get_by_code(
            Customer, options["customer"], _("Unknown customer code %(code)s.")
        )

        user = User(
            username=username,
            role=role,
            department=department,
            customer=customer,
            display_name=options["display_name"],
            email=options["email"],
        )
        try:
            user.full_clean(exclude=["password"])
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
        self.stdout.write(
            _("Created user %(username)s (%(role)s).")
            % {"username": username, "role": role.label}
        )


def _get_by_code(model, code, unknown_message):
    if not code:
        return None
    found = model.objects.filter(code=code).first()
    if found is None:
        raise CommandError(unknown_message % {"code": code})
    return found
