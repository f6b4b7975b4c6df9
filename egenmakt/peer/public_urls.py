from django.urls import path

from egenmakt.peer.views import public as public_views

app_name = "peer_public"

urlpatterns = [
    path("status/<str:token>/", public_views.status, name="status"),
    path("status/<str:token>/aterta/", public_views.withdraw, name="withdraw"),
    path("status/<str:token>/mina-uppgifter.json", public_views.export, name="export"),
    path("status/<str:token>/radera/", public_views.erase, name="erase"),
    path("status/<str:token>/radera/nu/", public_views.erase_now, name="erase_now"),
    path("raderad/", public_views.erased, name="erased"),
    path("<uuid:public_key>/", public_views.apply, name="apply"),
    path("<uuid:public_key>/mottagen/", public_views.receipt, name="receipt"),
]
