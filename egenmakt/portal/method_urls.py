"""What resource-group work is: general information sheets, public (no personal data), so
a relative without a login and a client signed in to their own pages both reach them."""

from django.urls import path

from . import views

app_name = "method"

urlpatterns = [
    path("", views.about_method, name="about"),
    path("narstaende/", views.about_method_relatives, name="relatives"),
]
