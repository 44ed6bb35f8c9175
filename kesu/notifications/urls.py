from django.urls import path

from kesu.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("bell/", views.bell_view, name="bell"),
    path("bell/menu/", views.bell_menu_view, name="bell_menu"),
    path("read/", views.mark_read_view, name="mark_read"),
    path("<int:pk>/open/", views.open_view, name="open"),
    path("settings/", views.settings_view, name="settings"),
    path("follow/<str:number>/", views.follow_view, name="follow"),
    path("unfollow/<str:number>/", views.unfollow_view, name="unfollow"),
]
