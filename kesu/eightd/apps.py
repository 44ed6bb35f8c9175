from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EightdConfig(AppConfig):
    name = "kesu.eightd"
    label = "eightd"
    verbose_name = _("8D reports")

    def ready(self):
        from kesu.complaints import search
        from kesu.eightd import events  # noqa: F401 - registers the event types
        from kesu.eightd.selectors import search_texts

        # D4 root causes and D7 lessons are searched with the complaint (issue 13).
        search.register(search_texts)
