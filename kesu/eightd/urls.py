from django.urls import path

from kesu.eightd import views

urlpatterns = [
    path("complaints/<str:number>/8d/", views.eightd_page, name="eightd_page"),
    path("complaints/<str:number>/8d/<str:code>/", views.eightd_save, name="eightd_save"),
    path("complaints/<str:number>/8d/<str:code>/sign/", views.eightd_sign, name="eightd_sign"),
    path(
        "complaints/<str:number>/8d/<str:code>/evidence/",
        views.eightd_evidence,
        name="eightd_evidence",
    ),
]
