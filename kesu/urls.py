from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kesu.api.main import api
from kesu.core.views import healthz, metrics
from kesu.web.views import LoginView

# The admin speaks the staff's language too ("Django 管理" read as a foreign tool).
admin.site.site_header = _("Kesu administration")
admin.site.site_title = _("Kesu administration")
admin.site.index_title = _("Settings and records")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("metrics", metrics),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("masterdata/", include("kesu.masterdata.urls")),
    path("org/", include("kesu.org.urls")),
    path("notifications/", include("kesu.notifications.urls")),
    path("time-limits/", include("kesu.timelimits.urls")),
    path("portal/", include("kesu.portal.urls")),
    path("", include("kesu.eightd.urls")),
    path("", include("kesu.verification.urls")),
    path("", include("kesu.eightd.export.urls")),
    path("", include("kesu.radar.urls")),
    path("", include("kesu.complaints.urls")),
]
