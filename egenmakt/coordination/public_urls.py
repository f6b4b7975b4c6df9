"""The relative's pages: public, opened with a one-time link (``views.relatives``)."""

from django.urls import path

from .views import relatives

app_name = "relatives"

urlpatterns = [
    path("tack/", relatives.thanks, name="thanks"),
    path("<str:token>/", relatives.sheet, name="sheet"),
]
