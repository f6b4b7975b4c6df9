"""The token pages under the account settings: ``/konto/api-nycklar/``."""

from django.urls import path

from . import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.tokens, name="tokens"),
    path("ny/", views.token_create, name="create"),
    path("tjanst/ny/", views.service_token_create, name="service_create"),
    path("<int:token_id>/aterkalla/", views.token_revoke, name="revoke"),
]
