from django.urls import path

from . import admin_views

app_name = "newsletter_admin"

urlpatterns = [
    path("campagnes/<int:pk>/", admin_views.campaign_dashboard, name="campaign_dashboard"),
    path("campagnes/<int:pk>/apercu/", admin_views.campaign_preview, name="campaign_preview"),
    path("campagnes/<int:pk>/envoyer/", admin_views.campaign_send, name="campaign_send"),
    path("campagnes/<int:pk>/programmer/", admin_views.campaign_schedule, name="campaign_schedule"),
    path(
        "campagnes/<int:pk>/deprogrammer/",
        admin_views.campaign_unschedule,
        name="campaign_unschedule",
    ),
    path("campagnes/<int:pk>/tester/", admin_views.campaign_send_test, name="campaign_send_test"),
    path("campagnes/<int:pk>/pause/", admin_views.campaign_pause, name="campaign_pause"),
    path("campagnes/<int:pk>/reprise/", admin_views.campaign_resume, name="campaign_resume"),
    path(
        "campagnes/<int:pk>/renvoyer-incertains/",
        admin_views.campaign_resend_uncertain,
        name="campaign_resend_uncertain",
    ),
    path("abonnes/import/", admin_views.subscriber_import, name="subscriber_import"),
    path("abonnes/export.csv", admin_views.subscriber_export, name="subscriber_export"),
]
