from django.urls import path

from kesu.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    # Before the complaint pages: "link" is never a complaint number, but the order says so.
    path("link/<str:token>/", views.link_follow, name="link"),
    path("<str:number>/", views.complaint_detail, name="detail"),
    path("<str:number>/accept/", views.plan_accept, name="accept"),
    path("<str:number>/reject/", views.plan_reject, name="reject"),
    path("<str:number>/messages/", views.message_send, name="message"),
    path("<str:number>/events/<int:event_id>/note/", views.event_note, name="note"),
    path("<str:number>/versions/", views.version_list, name="versions"),
    path("<str:number>/versions/<int:n>/", views.version_detail, name="version"),
    path(
        "<str:number>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path("<str:number>/exports/<int:export_id>/", views.export_download, name="export"),
]
