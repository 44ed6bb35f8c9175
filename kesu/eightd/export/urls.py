# Everything under 8d/exports/ with two segments or more: a single segment after 8d/ is a
# discipline's page (kesu.eightd.urls, included before this module).
from django.urls import path

from kesu.eightd.export import views

app_name = "eightd_export"
urlpatterns = [
    path("complaints/<str:number>/8d/exports/panel/", views.export_panel, name="panel"),
    path("complaints/<str:number>/8d/exports/new/", views.export_new, name="new"),
    path("complaints/<str:number>/8d/exports/send/", views.export_send, name="send"),
    path(
        "complaints/<str:number>/8d/exports/<int:export_id>/file/",
        views.export_download,
        name="download",
    ),
]
