from django.urls import path

from . import views

app_name = "instruments"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("importera/", views.import_definition, name="import"),
]
