"""The project's URLs with the master data pages, whether or not kesu/urls.py has them yet."""

from django.urls import include, path

from kesu.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "masterdata" for p in urlpatterns):
    urlpatterns.append(path("masterdata/", include("kesu.masterdata.urls")))
