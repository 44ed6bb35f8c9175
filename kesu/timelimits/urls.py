from django.urls import path

from kesu.timelimits import views

urlpatterns = [
    path("on-time/", views.on_time_view, name="on_time"),
    path("escalations/<int:step_id>/", views.escalation_view, name="escalation_act"),
]
