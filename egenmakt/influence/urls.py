from django.urls import path

from . import consultation_views, forum_views, outreach_views, views

app_name = "influence"

urlpatterns = [
    path("", views.areas, name="areas"),
    path("omraden/<int:area_id>/", views.area_detail, name="area"),
    path("omraden/<int:area_id>/enheter/", views.area_units, name="area_units"),
    path(
        "omraden/<int:area_id>/samordnas-med/",
        outreach_views.co_organisation,
        name="area_co_organisation",
    ),
    path("omraden/<int:area_id>/kontakter/", outreach_views.outreach, name="outreach"),
    path("omraden/<int:area_id>/kontakter/ny/", outreach_views.outreach_add, name="outreach_add"),
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
    path("mina-forum/", forum_views.my_forums, name="my_forums"),
    path("forum/<int:forum_id>/arbete/", forum_views.forum_work, name="forum_work"),
    path("forum/<int:forum_id>/fragor/ny/", forum_views.matter_new, name="matter_new"),
    path("moten/<int:meeting_id>/", forum_views.meeting, name="meeting"),
    path("moten/<int:meeting_id>/dagordning/", forum_views.agenda_add, name="agenda_add"),
    path("moten/<int:meeting_id>/protokoll/", forum_views.minutes_save, name="minutes_save"),
    path(
        "moten/<int:meeting_id>/protokoll/bekrafta/",
        forum_views.minutes_confirm,
        name="minutes_confirm",
    ),
    path("moten/<int:meeting_id>/aterrapport/", forum_views.report_save, name="report_save"),
    path("fragor/<int:matter_id>/", forum_views.matter, name="matter"),
    path("fragor/<int:matter_id>/moten/", forum_views.matter_link, name="matter_link"),
    path("fragor/<int:matter_id>/utfall/", forum_views.matter_outcome, name="matter_outcome"),
    path(
        "organisationer/<int:organisation_id>/aterrapporter/",
        forum_views.reports,
        name="reports",
    ),
    path(
        "omraden/<int:area_id>/remisser/",
        consultation_views.area_consultations,
        name="area_consultations",
    ),
    path(
        "omraden/<int:area_id>/remisser/ny/",
        consultation_views.consultation_new,
        name="consultation_new",
    ),
    path("mina-remisser/", consultation_views.my_consultations, name="my_consultations"),
    path("remisser/<int:consultation_id>/", consultation_views.consultation, name="consultation"),
    path(
        "remisser/<int:consultation_id>/skicka/",
        consultation_views.consultation_send,
        name="consultation_send",
    ),
    path(
        "remisser/<int:consultation_id>/svar/",
        consultation_views.consultation_answer,
        name="consultation_answer",
    ),
    path(
        "remisser/<int:consultation_id>/sammanfattning/",
        consultation_views.consultation_summary,
        name="consultation_summary",
    ),
    path(
        "remisser/<int:consultation_id>/publicera/",
        consultation_views.consultation_publish,
        name="consultation_publish",
    ),
    path("aktiviteter/<int:activity_id>/beslut/", views.activity_decide, name="activity_decide"),
    path("aktiviteter/ny/", views.submit, name="submit"),
    path("omraden/<int:area_id>/trappan/", views.ladder, name="ladder"),
    path("indikatorer/", views.indicators, name="indicators"),
    path("indikatorer.csv", views.indicators_csv, name="indicators_csv"),
]
