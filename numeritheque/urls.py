from django.urls import path

from . import views

app_name = "numeritheque"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("materiel/<slug:slug>/", views.item_detail, name="item_detail"),
    path("kits/<int:pk>/", views.kit_detail, name="kit_detail"),
    path("reserver/", views.booking_create, name="booking_create"),
    path("reservations/<int:pk>/annuler/", views.booking_cancel, name="booking_cancel"),
]
