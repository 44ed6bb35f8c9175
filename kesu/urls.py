from django.contrib import admin
from django.urls import include, path

from kesu.api.main import api
from kesu.core.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
