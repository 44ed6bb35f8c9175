from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kesu.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from kesu.core import health
        from kesu.notifications.health import backlog

        health.register(backlog)
