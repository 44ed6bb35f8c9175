"""Words of third-party apps that ship no Chinese (django-auditlog, django-axes), marked here so
that `makemessages` keeps them in Kesu's catalogue, which Django consults before an app's own
(LOCALE_PATHS come first). The libraries already mark these msgids for translation; a catalogue
entry translates them everywhere they appear (admin index, lists, filters and field labels),
which subclassing their AppConfigs could not. Only axes needs a subclass too
(kesu.core.apps.AxesConfig): it has no app name to translate. Nothing imports this module."""

from django.utils.translation import gettext_noop

WORDS = [
    # django-auditlog
    gettext_noop("Audit log"),
    gettext_noop("log entry"),
    gettext_noop("log entries"),
    gettext_noop("Resource"),
    gettext_noop("Resource Type"),
    gettext_noop("Changes"),
    gettext_noop("Created"),
    gettext_noop("User"),
    gettext_noop("actor"),
    gettext_noop("action"),
    gettext_noop("timestamp"),
    gettext_noop("object representation"),
    gettext_noop("change message"),
    gettext_noop("remote address"),
    gettext_noop("create"),
    gettext_noop("update"),
    gettext_noop("delete"),
    gettext_noop("access"),
    # django-axes
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Attempt Time"),
    gettext_noop("Logout Time"),
    gettext_noop("Failed Logins"),
    gettext_noop("IP Address"),
    gettext_noop("User Agent"),
    gettext_noop("Path"),
    gettext_noop("Expires At"),
]
