from django.urls import include, path

from . import views, webhooks

# The webhooks of the one ESP the settings may configure (Brevo); they answer 404 unless it and
# the webhook secret are both set (newsletter/webhooks.py).
anymail_urlpatterns = [
    path(
        "brevo/tracking/",
        webhooks.brevo_webhook,
        {"kind": "tracking"},
        name="brevo_tracking_webhook",
    ),
    path(
        "brevo/inbound/", webhooks.brevo_webhook, {"kind": "inbound"}, name="brevo_inbound_webhook"
    ),
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
