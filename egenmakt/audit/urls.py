from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("logg/", views.access_log, name="access_log"),
    path("logg.csv", views.access_log_csv, name="access_log_csv"),
    path("nodatkomst/", views.emergency_list, name="emergency"),
    path("nodatkomst/<int:grant_id>/", views.emergency_review, name="emergency_review"),
]
