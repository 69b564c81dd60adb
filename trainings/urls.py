from django.urls import path

from . import views

app_name = "trainings"

urlpatterns = [
    path("flux.ics", views.catalogue_feed_ics, name="feed_ics"),
    path("flux.rss", views.catalogue_feed_rss, name="feed_rss"),
    path("attestations/<int:pk>.pdf", views.certificate_pdf, name="certificate"),
    path("questionnaire/<int:pk>/", views.questionnaire, name="questionnaire"),
]
