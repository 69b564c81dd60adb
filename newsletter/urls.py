from django.urls import include, path

from anymail.webhooks.brevo import BrevoInboundWebhookView, BrevoTrackingWebhookView

from . import views

# The webhooks of the one ESP the settings configure (Brevo), not anymail's whole list: the
# others would answer every request with a configuration error (a 500).
anymail_urlpatterns = [
    path("brevo/tracking/", BrevoTrackingWebhookView.as_view(), name="brevo_tracking_webhook"),
    path("brevo/inbound/", BrevoInboundWebhookView.as_view(), name="brevo_inbound_webhook"),
]

app_name = "newsletter"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("archives/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("inscription/", views.subscribe, name="subscribe"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("mon-espace/inscription/", views.my_space_subscribe, name="my_space_subscribe"),
    # ESP webhooks (bounces, complaints, mail to the unsubscribe box): /lettre/anymail/brevo/…
    path("anymail/", include((anymail_urlpatterns, "anymail"))),
]
