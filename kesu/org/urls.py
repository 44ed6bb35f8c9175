from django.urls import path

from kesu.org import pickers

app_name = "org"
urlpatterns = [
    path("pick/people/", pickers.pick_people, name="pick_people"),
]
