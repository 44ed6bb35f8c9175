from axes import apps as axes_apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True  # this module also holds AxesConfig
    name = "kesu.core"
    label = "core"
    verbose_name = _("System")


class AxesConfig(axes_apps.AppConfig):
    """django-axes with a name in the admin: its own config has no verbose_name, so the admin
    showed the label, "AXES", untranslatable. Same label, so its tables and migrations stay."""

    verbose_name = _("Login lockouts")
