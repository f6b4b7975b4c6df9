"""The administration pages, under /administration/ (see administration_views.py)."""

from django.urls import path

from . import administration_views as views

app_name = "administration"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("enhet/<int:organisation_id>/ny/", views.unit_create, name="unit_create"),
    path("personer/", views.people, name="people"),
    path("personer/bjud-in/", views.invite, name="invite"),
    path("personer/<int:user_id>/", views.person, name="person"),
    path("personer/<int:user_id>/roll/", views.grant_role, name="grant_role"),
    path("personer/<int:user_id>/stang/", views.deactivate, name="deactivate"),
    path("personer/<int:user_id>/oppna/", views.reactivate, name="reactivate"),
    path("personer/<int:user_id>/avidentifiera/", views.anonymise, name="anonymise"),
    path(
        "personer/<int:user_id>/tvastegs/",
        views.reset_second_factor,
        name="reset_second_factor",
    ),
    path("roller/<int:membership_id>/avsluta/", views.end_membership, name="end_membership"),
]
