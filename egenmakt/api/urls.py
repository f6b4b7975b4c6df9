"""The API's addresses: ``/api/v1/`` (the operations, ``openapi.json`` and ``docs``)."""

from django.urls import path

from .api import api

urlpatterns = [path("v1/", api.urls)]
