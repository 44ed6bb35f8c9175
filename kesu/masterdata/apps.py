from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterdataConfig(AppConfig):
    name = "kesu.masterdata"
    label = "masterdata"
    verbose_name = _("Master data")

    def ready(self):
        from kesu.masterdata.auditlog import register_models

        register_models()
