from django.urls import path

from .views import binder, clients, consent, emergency, followup, mapping, meetings, plan, team

app_name = "coordination"

urlpatterns = [
    path("", clients.client_list, name="clients"),
    path("ny/", clients.client_register, name="register"),
    path("nodatkomst/", emergency.emergency, name="emergency"),
    path("<int:client_id>/", clients.client_detail, name="client"),
    path("<int:client_id>/uppgifter/", clients.client_edit, name="edit"),
    path("<int:client_id>/personnummer/", clients.identity_reveal, name="identity"),
    path("<int:client_id>/fas/", clients.phase_change, name="phase"),
    path("<int:client_id>/vardteam/", team.team, name="team"),
    path("<int:client_id>/vardteam/<int:seat_id>/avsluta/", team.team_end, name="team_end"),
    path("<int:client_id>/samtycke/", consent.consent, name="consent"),
    path(
        "<int:client_id>/samtycke/<int:consent_id>/aterkalla/",
        consent.consent_revoke,
        name="consent_revoke",
    ),
    path(
        "<int:client_id>/samtycke/<int:consent_id>/blankett/",
        consent.consent_document,
        name="consent_document",
    ),
    path("<int:client_id>/natverk/", mapping.network, name="network"),
    path("<int:client_id>/natverk/<int:contact_id>/", mapping.contact_edit, name="contact"),
    path("<int:client_id>/arbetsblad/", mapping.worksheet_start, name="worksheet_start"),
    path("<int:client_id>/checklista/", mapping.checklist, name="checklist"),
    path("<int:client_id>/sammanfattning/", mapping.summary, name="summary"),
    path("<int:client_id>/anteckningar/", clients.notes, name="notes"),
    path("<int:client_id>/plan/", plan.plan_page, name="plan"),
    path("<int:client_id>/varningsplan/", emergency.warning_plan, name="warning_plan"),
    path("<int:client_id>/uppfoljning/", followup.followup, name="followup"),
    path("<int:client_id>/plan/jamfor/", plan.plan_compare, name="plan_compare"),
    path("<int:client_id>/resursgrupp/", meetings.resource_group, name="resource_group"),
    path(
        "<int:client_id>/resursgrupp/<int:member_id>/avsluta/",
        meetings.group_member_end,
        name="group_member_end",
    ),
    path("<int:client_id>/moten/<int:meeting_id>/", meetings.meeting_page, name="meeting"),
    path("<int:client_id>/parm.pdf", binder.binder_pdf, name="binder_pdf"),
    path("<int:client_id>/export.json", binder.binder_json, name="binder_json"),
    path("<int:client_id>/fhir.json", binder.binder_fhir, name="binder_fhir"),
]
