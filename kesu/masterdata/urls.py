from django.urls import path

from kesu.masterdata import views

app_name = "masterdata"
urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("import/<int:job_id>/", views.import_job_view, name="import_job"),
    path("import/<int:job_id>/status/", views.import_job_status, name="import_job_status"),
    path("export/<slug:kind>.xlsx", views.export_view, name="export"),
]
