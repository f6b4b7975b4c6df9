from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("tillbaka/", views.Callback.as_view(), name="callback"),
    path("<slug:slug>/", views.Start.as_view(), name="start"),
]
