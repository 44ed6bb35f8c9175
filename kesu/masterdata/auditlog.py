"""Change log of master data and organisation (SPEC §13: who, when, before, after).

django-auditlog writes one LogEntry per save with the old and new value of every changed field;
the admin shows them under "Log entries". Complaints need no entry here: their own event log
(`ComplaintEvent`) is their audit trail.
"""

from auditlog.registry import auditlog
from django.apps import apps

# Model label -> fields left out of the log. A password hash is a secret and last_login changes
# on every sign-in, which would bury the changes that matter.
AUDITED = {
    "masterdata.Customer": (),
    "masterdata.Contact": (),
    "masterdata.ProductLine": (),
    "masterdata.Product": (),
    "masterdata.Supplier": (),
    "masterdata.DefectCode": (),
    "masterdata.Lot": (),
    "org.Center": (),
    "org.Department": (),
    "org.Process": (),
    "org.User": ("password", "last_login"),
    "complaints.RoutingRule": (),
}


def register_models() -> None:
    for label, excluded in AUDITED.items():
        auditlog.register(apps.get_model(label), exclude_fields=list(excluded))
