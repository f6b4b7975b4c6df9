from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("administration/e-legitimation/", include("egenmakt.sso.admin_urls")),
    path("administration/", include("egenmakt.accounts.administration_urls")),
    path("granskning/", include("egenmakt.audit.urls")),
    path("instrument/", include("egenmakt.instruments.urls")),
    path("peer/", include("egenmakt.peer.urls")),
    path("ansok/", include("egenmakt.peer.public_urls")),
    path("rapporter/", include("egenmakt.reports.urls")),
    path("inflytande/", include("egenmakt.influence.urls")),
    path("samordning/", include("egenmakt.coordination.urls")),
    path("oppet/", include("egenmakt.influence.public_urls")),
    path("narstaende/", include("egenmakt.coordination.public_urls")),
    path("mina-sidor/", include("egenmakt.portal.urls")),
    path("om-resursgruppsarbete/", include("egenmakt.portal.method_urls")),
    path("logga-in/oidc/", include("egenmakt.sso.urls")),
    path("api/", include("egenmakt.api.urls")),
    path("konto/api-nycklar/", include("egenmakt.api.token_urls")),
    path("", include("egenmakt.accounts.urls")),
]

handler400 = "egenmakt.views.bad_request"
handler403 = "egenmakt.views.permission_denied"
handler404 = "egenmakt.views.page_not_found"
handler500 = "egenmakt.views.server_error"

if settings.EGENMAKT_BENCH:
    urlpatterns.insert(0, path("bench/", include("egenmakt.scale.urls")))

if settings.DEBUG:
    urlpatterns += [path("__error_pages/<int:code>/", views.error_preview)]
