from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path

from kesu.api.main import api
from kesu.core.views import healthz, metrics
from kesu.web.views import LoginView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("metrics", metrics),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("masterdata/", include("kesu.masterdata.urls")),
    path("notifications/", include("kesu.notifications.urls")),
    path("time-limits/", include("kesu.timelimits.urls")),
    path("portal/", include("kesu.portal.urls")),
    path("", include("kesu.eightd.urls")),
    path("", include("kesu.eightd.export.urls")),
    path("", include("kesu.complaints.urls")),
]
