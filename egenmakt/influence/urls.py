from django.urls import path

from . import views

app_name = "influence"

urlpatterns = [
    path("", views.areas, name="areas"),
    path("omraden/<int:area_id>/", views.area_detail, name="area"),
    path("omraden/<int:area_id>/enheter/", views.area_units, name="area_units"),
    path("omraden/<int:area_id>/organisationer/ny/", views.organisation_edit, name="org_new"),
    path(
        "omraden/<int:area_id>/organisationer/<int:organisation_id>/",
        views.organisation_edit,
        name="org_edit",
    ),
    path("omraden/<int:area_id>/forum/nytt/", views.forum_new, name="forum_new"),
    path("forum/<int:forum_id>/", views.forum_detail, name="forum"),
    path("forum/<int:forum_id>/medlemmar/", views.forum_member_add, name="forum_member_add"),
    path(
        "forum/<int:forum_id>/medlemmar/<int:member_id>/avsluta/",
        views.forum_member_end,
        name="forum_member_end",
    ),
    path("forum/<int:forum_id>/moten/", views.forum_meeting_add, name="forum_meeting_add"),
    path("aktiviteter/<int:activity_id>/beslut/", views.activity_decide, name="activity_decide"),
    path("aktiviteter/ny/", views.submit, name="submit"),
    path("omraden/<int:area_id>/trappan/", views.ladder, name="ladder"),
    path("indikatorer/", views.indicators, name="indicators"),
    path("indikatorer.csv", views.indicators_csv, name="indicators_csv"),
]
