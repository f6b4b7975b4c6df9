from django.urls import path

from . import binder_views, followup_views, meeting_views, plan_views, views

app_name = "coordination"

urlpatterns = [
    path("", views.client_list, name="clients"),
    path("ny/", views.client_register, name="register"),
    path("nodatkomst/", views.emergency, name="emergency"),
    path("<int:client_id>/", views.client_detail, name="client"),
    path("<int:client_id>/uppgifter/", views.client_edit, name="edit"),
    path("<int:client_id>/personnummer/", views.identity_reveal, name="identity"),
    path("<int:client_id>/fas/", views.phase_change, name="phase"),
    path("<int:client_id>/vardteam/", views.team, name="team"),
    path("<int:client_id>/vardteam/<int:seat_id>/avsluta/", views.team_end, name="team_end"),
    path("<int:client_id>/samtycke/", views.consent, name="consent"),
    path(
        "<int:client_id>/samtycke/<int:consent_id>/aterkalla/",
        views.consent_revoke,
        name="consent_revoke",
    ),
    path(
        "<int:client_id>/samtycke/<int:consent_id>/blankett/",
        views.consent_document,
        name="consent_document",
    ),
    path("<int:client_id>/natverk/", views.network, name="network"),
    path("<int:client_id>/natverk/<int:contact_id>/", views.contact_edit, name="contact"),
    path("<int:client_id>/arbetsblad/", views.worksheet_start, name="worksheet_start"),
    path("<int:client_id>/checklista/", views.checklist, name="checklist"),
    path("<int:client_id>/sammanfattning/", views.summary, name="summary"),
    path("<int:client_id>/anteckningar/", views.notes, name="notes"),
    path("<int:client_id>/plan/", plan_views.plan_page, name="plan"),
    path("<int:client_id>/varningsplan/", views.warning_plan, name="warning_plan"),
    path("<int:client_id>/uppfoljning/", followup_views.followup, name="followup"),
    path("<int:client_id>/plan/jamfor/", plan_views.plan_compare, name="plan_compare"),
    path("<int:client_id>/resursgrupp/", meeting_views.resource_group, name="resource_group"),
    path(
        "<int:client_id>/resursgrupp/<int:member_id>/avsluta/",
        meeting_views.group_member_end,
        name="group_member_end",
    ),
    path("<int:client_id>/moten/<int:meeting_id>/", meeting_views.meeting_page, name="meeting"),
    path("<int:client_id>/parm.pdf", binder_views.binder_pdf, name="binder_pdf"),
    path("<int:client_id>/export.json", binder_views.binder_json, name="binder_json"),
    path("<int:client_id>/fhir.json", binder_views.binder_fhir, name="binder_fhir"),
]
