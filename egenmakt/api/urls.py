"""The API's addresses: ``/api/v1/`` (the operations, ``openapi.json`` and ``docs``) and
``/api/fhir/`` (FHIR R4 read, with its own document)."""

from django.urls import path

from .api import api, fhir_api

urlpatterns = [path("v1/", api.urls), path("fhir/", fhir_api.urls)]
