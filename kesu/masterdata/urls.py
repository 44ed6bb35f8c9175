from django.urls import path

from kesu.masterdata import views

app_name = "masterdata"
urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("export/<slug:kind>.xlsx", views.export_view, name="export"),
]
