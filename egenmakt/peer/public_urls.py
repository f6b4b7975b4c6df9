from django.urls import path

from egenmakt.peer.views import public as public_views

app_name = "peer_public"

urlpatterns = [
    path("status/<str:token>/", public_views.status, name="status"),
    path("status/<str:token>/aterta/", public_views.withdraw, name="withdraw"),
    path("<uuid:public_key>/", public_views.apply, name="apply"),
    path("<uuid:public_key>/mottagen/", public_views.receipt, name="receipt"),
]
