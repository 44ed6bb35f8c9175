from django.urls import path

from kesu.verification import views

urlpatterns = [
    path("complaints/<str:number>/verification/result/", views.record_result,
         name="verification_result"),
    path("complaints/<str:number>/verification/override/", views.override,
         name="verification_override"),
    path("complaints/<str:number>/verification/propose/", views.propose,
         name="verification_propose"),
    path("complaints/<str:number>/verification/confirm/", views.confirm,
         name="verification_confirm"),
]
