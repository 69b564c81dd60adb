from django.urls import path

from . import views

app_name = "relay"

urlpatterns = [
    path("relayer/", views.relay, name="relay"),
    path("widget/agenda/", views.widget_agenda, name="widget_agenda"),
    path("donnees-ouvertes/", views.open_data, name="open_data"),
    path("donnees-ouvertes/agenda.json", views.agenda_json, name="agenda_json"),
    path("donnees-ouvertes/agenda.csv", views.agenda_csv, name="agenda_csv"),
    path(
        "donnees-ouvertes/agenda-openagenda.json",
        views.agenda_openagenda_json,
        name="agenda_openagenda_json",
    ),
    path(
        "donnees-ouvertes/agenda-openagenda.csv",
        views.agenda_openagenda_csv,
        name="agenda_openagenda_csv",
    ),
    path(
        "donnees-ouvertes/agenda-mobilizon.ics",
        views.agenda_mobilizon_ics,
        name="agenda_mobilizon_ics",
    ),
    path("donnees-ouvertes/lieux.json", views.places_json, name="places_json"),
    path("donnees-ouvertes/lieux.csv", views.places_csv, name="places_csv"),
    path(
        "donnees-ouvertes/data-inclusion/<str:kind>.json",
        views.places_data_inclusion,
        name="places_data_inclusion",
    ),
]
