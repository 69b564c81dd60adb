from django.urls import path

from . import admin_views

app_name = "trainings_admin"

urlpatterns = [
    path("pages/<int:page_pk>/sessions/", admin_views.session_index, name="session_index"),
    path(
        "pages/<int:page_pk>/sessions/ajouter/", admin_views.session_create, name="session_create"
    ),
    path("sessions/<int:pk>/", admin_views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/annuler/", admin_views.session_cancel, name="session_cancel"),
    path("satisfaction/", admin_views.satisfaction_index, name="satisfaction_index"),
    path(
        "satisfaction/<int:page_pk>/", admin_views.satisfaction_detail, name="satisfaction_detail"
    ),
]
