from django.urls import path

from . import views
from .feeds import AgendaRssFeed

app_name = "events"

urlpatterns = [
    path("feed.ics", views.feed_ics, name="feed_ics"),
    path("feed.rss", AgendaRssFeed(), name="feed_rss"),
    path("calendrier/<str:token>.ics", views.personal_feed_ics, name="personal_feed"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>.ics", views.session_ics, name="session_ics"),
    path("sessions/<int:pk>/inscription/", views.registration_confirm, name="registration_confirm"),
    path("inscriptions/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("inscriptions/<int:pk>/annuler/", views.registration_cancel, name="registration_cancel"),
    path("rappels/", views.reminders_set, name="reminders_set"),
    path("sessions/<int:pk>/groupe/", views.group_register, name="group_register"),
    path("liste-attente/<int:page_pk>/", views.waiting_list_join, name="waiting_list_join"),
    path("liste-attente/quitter/<int:pk>/", views.waiting_list_leave, name="waiting_list_leave"),
    path("propositions/<str:token>/", views.seat_offer, name="seat_offer"),
]
