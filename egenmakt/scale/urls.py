from django.urls import path

from . import bench

app_name = "bench"

urlpatterns = [path("floor", bench.floor, name="floor")]
