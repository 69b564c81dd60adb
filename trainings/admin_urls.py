from django.urls import path

from . import admin_views

app_name = "trainings_admin"

urlpatterns = [
    path("satisfaction/", admin_views.satisfaction_index, name="satisfaction_index"),
    path(
        "satisfaction/<int:page_pk>/", admin_views.satisfaction_detail, name="satisfaction_detail"
    ),
]
