from django.urls import include, path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("archives/<int:pk>/", views.archive_detail, name="archive_detail"),
    path("inscription/", views.subscribe, name="subscribe"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("mon-espace/inscription/", views.my_space_subscribe, name="my_space_subscribe"),
    # ESP webhooks (bounces, complaints): /lettre/anymail/<esp>/tracking/
    path("anymail/", include("anymail.urls")),
]
