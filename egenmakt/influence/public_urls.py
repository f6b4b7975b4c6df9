from django.urls import path

from . import public_views

app_name = "influence_public"

urlpatterns = [
    path("organisationer/", public_views.directory, name="directory"),
    path("forum/", public_views.forum_areas, name="forum_areas"),
    path("forum/<slug:slug>/", public_views.forums, name="forums"),
    path("remisser/", public_views.consultations, name="consultations"),
    path("remisser/<int:consultation_id>/", public_views.consultation, name="consultation"),
    path("kalender/<slug:slug>/", public_views.calendar, name="calendar"),
    path("kalender/<slug:slug>.ics", public_views.feed, name="feed"),
]
