from django.urls import path

from kesu.masterdata import lots, pickers, views

app_name = "masterdata"
urlpatterns = [
    path("import/", views.import_view, name="import"),
    path("import/<int:job_id>/", views.import_job_view, name="import_job"),
    path("import/<int:job_id>/status/", views.import_job_status, name="import_job_status"),
    path("export/<slug:kind>.xlsx", views.export_view, name="export"),
    path("lots/<str:number>/", lots.lot_view, name="lot"),
    path("pick/customers/", pickers.pick_customers, name="pick_customers"),
    path("pick/contacts/", pickers.pick_contacts, name="pick_contacts"),
    path("pick/products/", pickers.pick_products, name="pick_products"),
    path("pick/lots/", pickers.pick_lots, name="pick_lots"),
]
