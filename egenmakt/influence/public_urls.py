from django.urls import path

from . import public_views

app_name = "influence_public"

urlpatterns = [
    path("organisationer/", public_views.directory, name="directory"),
    path("kalender/<slug:slug>/", public_views.calendar, name="calendar"),
    path("kalender/<slug:slug>.ics", public_views.feed, name="feed"),
]
