from django.urls import path

from . import staff_views, views
from .views import associations, meetings, messages, notifications, rights, sign_in

app_name = "portal"

urlpatterns = [
    path("", views.start, name="start"),
    path("logga-in/", sign_in.sign_in, name="login"),
    path("logga-in/skickad/", sign_in.link_sent, name="link_sent"),
    path("lank/<str:token>/", sign_in.use_link, name="link"),
    path("plan/", views.plan, name="plan"),
    path("varningsplan/", views.warning_plan, name="warning_plan"),
    path("arbetsblad/", views.worksheets, name="worksheets"),
    path("arbetsblad/ny/<slug:key>/", views.worksheet_start, name="worksheet_start"),
    path("arbetsblad/<int:response_id>/", views.worksheet, name="worksheet"),
    path("arbetsblad/<int:response_id>/besvara/", views.answer, name="answer"),
    path("checklista/", views.checklist, name="checklist"),
    path("meddelanden/", messages.messages_list, name="messages"),
    path("meddelanden/ny/", messages.message_start, name="message_start"),
    path("meddelanden/<int:thread_id>/", messages.message_thread, name="message_thread"),
    path("meddelanden/<int:thread_id>/svara/", messages.message_reply, name="message_reply"),
    path(
        "meddelanden/bilaga/<int:message_id>/",
        messages.message_attachment,
        name="message_attachment",
    ),
    path("moten/", meetings.meetings, name="meetings"),
    path("moten/<int:meeting_id>/", meetings.meeting, name="meeting"),
    path("moten/<int:meeting_id>/bekrafta/", meetings.meeting_confirm, name="meeting_confirm"),
    path("foreningar/", associations.associations, name="associations"),
    path("samtycke/", views.consent, name="consent"),
    path("skattning/", views.chart, name="chart"),
    path("skattning/bild.svg", views.chart_svg, name="chart_svg"),
    path("vem-har-last/", rights.access_log, name="access_log"),
    path("mina-uppgifter/", rights.my_data, name="my_data"),
    path("mina-uppgifter/begar/", rights.my_data_request, name="my_data_request"),
    path("mina-uppgifter/kopia/<uuid:key>/", rights.my_data_download, name="my_data_download"),
    path("mina-uppgifter/begransa/", rights.restriction, name="restriction"),
    path("mina-uppgifter/begransa/bekrafta/", rights.restrict, name="restrict"),
    path("mina-uppgifter/begransa/hav/", rights.restriction_lift, name="restriction_lift"),
    path("inloggning/", sign_in.sign_in_settings, name="settings"),
    path("aviseringar/", notifications.notifications, name="notifications"),
    path("aviseringar/spara/", notifications.notifications_save, name="notifications_save"),
    path("mina-uppgifter/parm.pdf", rights.download_pdf, name="download_pdf"),
    path("mina-uppgifter/uppgifter.json", rights.download_json, name="download_json"),
    path("mina-uppgifter/fhir.json", rights.download_fhir, name="download_fhir"),
    # The care team's side, under the client's page in coordination.
    path("bjud-in/<int:client_id>/", staff_views.invite, name="invite"),
    path("bjud-in/<int:client_id>/avsluta/", staff_views.end_access, name="end_access"),
]
