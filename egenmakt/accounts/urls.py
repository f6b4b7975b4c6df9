from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", views.LogoutView.as_view(), name="logout"),
    path("roll/<slug:slug>/", views.role_start, name="role_start"),
    path("konto/tvastegs/aktivera/", views.two_factor_enrol, name="two_factor_enrol"),
    path("konto/tvastegs/", views.two_factor_verify, name="two_factor_verify"),
    path(
        "konto/tvastegs/behover-lank/",
        views.two_factor_needs_link,
        name="two_factor_needs_link",
    ),
    path("konto/inbjudan/<str:token>/", views.invitation, name="invitation"),
    path(
        "konto/tvastegs/reservkoder/",
        views.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path("konto/mina-uppgifter/", views.my_data, name="my_data"),
    path("konto/mina-uppgifter/begar/", views.my_data_request, name="my_data_request"),
    path("konto/mina-uppgifter/<uuid:key>/", views.my_data_download, name="my_data_download"),
    path("konto/aviseringar/", views.notifications, name="notifications"),
    path("konto/aviseringar/spara/", views.notifications_save, name="notifications_save"),
    path("konto/losenord/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "konto/losenord/skickat/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/losenord/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/losenord/klart/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
