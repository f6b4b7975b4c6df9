"""The administrator's pages for e-ID providers, under /administration/e-legitimation/."""

from django.urls import path

from . import admin_views as views

app_name = "sso_admin"

urlpatterns = [
    path("", views.provider_list, name="list"),
    path("ny/", views.provider_create, name="create"),
    path("<int:provider_id>/", views.provider_edit, name="edit"),
]
