"""The project's addresses as in benchmark mode (EGENMAKT_BENCH=1)."""

from django.urls import include, path

from egenmakt.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("bench/", include("egenmakt.scale.urls")), *project_urlpatterns]
