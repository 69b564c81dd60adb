from django.urls import path

from . import error_report_views, quality_views, staff_views, views

app_name = "directory"

urlpatterns = [
    path("", views.place_list, name="place_list"),
    path("<int:pk>/", views.place_detail, name="place_detail"),
    path("<int:pk>/modifier/", views.place_edit, name="place_edit"),
    path("proposer/", views.place_propose, name="place_propose"),
    path("ma-structure/", views.my_structure, name="my_structure"),
    path("propositions/", staff_views.place_proposals, name="place_proposals"),
    path("<int:pk>/historique/", staff_views.place_history, name="place_history"),
    path("<int:pk>/signaler/", error_report_views.place_error_report, name="error_report"),
    path(
        "signalements/<int:pk>/clore/",
        error_report_views.place_error_report_close,
        name="error_report_close",
    ),
    path("donnees/lieux.csv", views.open_data, {"file_format": "csv"}, name="open_data_csv"),
    path("donnees/lieux.json", views.open_data, {"file_format": "json"}, name="open_data_json"),
    path("orientation/", views.orientation_view, name="orientation"),
    path("orientation/fiche/<int:pk>/", views.orientation_fiche, name="orientation_fiche"),
    path(
        "orientation/fiche/<int:pk>/envoyer/",
        views.orientation_fiche_email,
        name="orientation_fiche_email",
    ),
    path("couverture/", staff_views.coverage, name="coverage"),
    path("doublons/", staff_views.duplicates, name="duplicates"),
    path("doublons/fusionner/", staff_views.place_merge, name="place_merge"),
    path("modifications/", staff_views.place_changes, name="place_changes"),
    path("gestionnaires/", staff_views.manager_requests, name="manager_requests"),
    path("fiches-anciennes/", quality_views.stale_places, name="stale_places"),
]
