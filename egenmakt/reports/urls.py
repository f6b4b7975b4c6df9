from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("program/", views.programme, name="programme"),
    path("program/nationellt/", views.national, name="national"),
    path("export/", views.export_create, name="export_create"),
    path("export/lista/", views.export_list, name="export_list"),
    path("export/<uuid:key>/", views.export_download, name="export_download"),
    path("nyckel/", views.key_create, name="key_create"),
    path("vardsamordning/", views.caseload, name="caseload"),
    path("vardsamordning/export/", views.caseload_export, name="caseload_export"),
    path("vardsamordning/nyckel/", views.caseload_key_create, name="caseload_key_create"),
]
