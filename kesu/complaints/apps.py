from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "kesu.complaints"
    label = "complaints"

    def ready(self):
        from kesu.complaints import events, lifecycle  # noqa: F401 - registers the event types

        # The participants (and the gates they judge) are known before the first request.
        lifecycle.participants()
