from django.urls import path

from . import admin_views

app_name = "trainings_admin"

urlpatterns = [
    path("satisfaction/", admin_views.satisfaction_index, name="satisfaction_index"),
    path(
        "satisfaction/<int:page_pk>/", admin_views.satisfaction_detail, name="satisfaction_detail"
    ),
    path(
        "sessions/<int:pk>/attestations/",
        admin_views.session_certificates,
        name="session_certificates",
    ),
    path(
        "sessions/<int:pk>/attestations.pdf",
        admin_views.session_certificates_pdf,
        name="session_certificates_pdf",
    ),
    path(
        "sessions/<int:pk>/attestations/envoyer/",
        admin_views.session_certificates_email,
        name="session_certificates_email",
    ),
    path(
        "attestations/<int:pk>/revoquer/",
        admin_views.certificate_revoke,
        name="certificate_revoke",
    ),
    path(
        "satisfaction/reponses.<str:extension>",
        admin_views.satisfaction_export,
        name="satisfaction_export",
    ),
    path(
        "satisfaction/<int:page_pk>/reponses.<str:extension>",
        admin_views.satisfaction_export,
        name="satisfaction_export_training",
    ),
]
