from django.urls import path

from . import processing_views, views

app_name = "audit"

urlpatterns = [
    path("logg/", views.access_log, name="access_log"),
    path("logg.csv", views.access_log_csv, name="access_log_csv"),
    path("nodatkomst/", views.emergency_list, name="emergency"),
    path("nodatkomst/<int:grant_id>/", views.emergency_review, name="emergency_review"),
    path("behandlingar/", processing_views.processing_record_page, name="processing_record"),
    path(
        "behandlingar/<str:language>.xlsx",
        processing_views.processing_record_document,
        name="processing_record_document",
    ),
]
