from django.urls import path

from . import processing_views, views

app_name = "audit"

urlpatterns = [
    path("logg/", views.access_log, name="access_log"),
    path("logg.csv", views.access_log_csv, name="access_log_csv"),
    path("nodatkomst/", views.emergency_list, name="emergency"),
    path("nodatkomst/<int:grant_id>/", views.emergency_review, name="emergency_review"),
    path("loggkontroll/", views.log_reviews, name="log_reviews"),
    path("loggkontroll/ny/", views.log_review_start, name="log_review_start"),
    path("loggkontroll/<int:review_id>/", views.log_review, name="log_review"),
    path(
        "loggkontroll/<int:review_id>/rad/<int:item_id>/",
        views.log_review_item,
        name="log_review_item",
    ),
    path(
        "loggkontroll/<int:review_id>/avsluta/", views.log_review_finish, name="log_review_finish"
    ),
    path("behandlingar/", processing_views.processing_record_page, name="processing_record"),
    path(
        "behandlingar/<str:language>.xlsx",
        processing_views.processing_record_document,
        name="processing_record_document",
    ),
]
