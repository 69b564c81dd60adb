"""The portal's URLs plus the baselines the benchmarks compare against."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("_bench/baseline/", views.baseline_page),
    path("_bench/baseline-post/", views.baseline_post),
    path("", include("portal.urls")),
]
