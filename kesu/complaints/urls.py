from django.urls import path

from kesu.complaints import views

urlpatterns = [
    path("", views.my_work_view, name="my_work"),
    path("complaints/", views.complaint_list_view, name="complaint_list"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<str:number>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<str:number>/edit/", views.complaint_edit, name="complaint_edit"),
    path(
        "complaints/<str:number>/actions/<slug:action>/",
        views.complaint_action,
        name="complaint_action",
    ),
    path("complaints/<str:number>/info/", views.complaint_info, name="complaint_info"),
    path("complaints/<str:number>/messages/", views.complaint_message, name="complaint_message"),
    path(
        "complaints/<str:number>/events/<int:event_id>/note/",
        views.complaint_event_note,
        name="complaint_event_note",
    ),
    path(
        "complaints/<str:number>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
