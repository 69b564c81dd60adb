from django.urls import path

from . import views

app_name = "trainings"

urlpatterns = [
    path("flux.ics", views.catalogue_feed_ics, name="feed_ics"),
    path("flux.rss", views.catalogue_feed_rss, name="feed_rss"),
    path("attestations/<int:pk>.pdf", views.certificate_pdf, name="certificate"),
    path("questionnaire/<int:pk>/", views.questionnaire, name="questionnaire"),
    path("passeport.pdf", views.passport_pdf, name="passport_pdf"),
    path("badges/emetteur.json", views.badge_issuer, name="badge_issuer"),
    path("badges/formations/<int:pk>.json", views.badge_class, name="badge_class"),
    path("badges/<str:token>.json", views.badge_assertion, name="badge_assertion"),
    path("badges/inscription/<int:pk>/", views.badge_for_registration, name="badge_mine"),
]
