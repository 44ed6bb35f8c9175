from django.urls import path

from kesu.radar import views

urlpatterns = [
    path("radar/draft/", views.radar_draft, name="radar_draft"),
    path("complaints/<str:number>/radar/", views.radar_complaint, name="radar_complaint"),
    path("complaints/<str:number>/radar/link/", views.radar_link_view, name="radar_link"),
]
