from django.urls import path

from . import views

app_name = "instruments"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("importera/", views.import_definition, name="import"),
    path("svar/<int:response_id>/", views.response_detail, name="response"),
    path("svar/<int:response_id>/besvara/", views.answer, name="answer"),
    path("svar/<int:response_id>/utkast/", views.autosave, name="autosave"),
    path("<slug:key>/<slug:subject_slug>/<str:subject_id>/", views.start, name="start"),
    path(
        "<slug:key>/<slug:subject_slug>/<str:subject_id>/forandring/",
        views.chart,
        name="chart",
    ),
    path(
        "<slug:key>/<slug:subject_slug>/<str:subject_id>/forandring.svg",
        views.chart_svg,
        name="chart_svg",
    ),
]
