from django.urls import path

from . import paper, views

app_name = "portal"

urlpatterns = [
    path("mon-espace/", views.my_space_view, name="my_space"),
    path("mon-espace/profil/", views.profile_edit, name="profile_edit"),
    path("mon-espace/mes-donnees.json", views.data_export, name="data_export"),
    path("mon-espace/supprimer-mon-compte/", views.account_delete, name="account_delete"),
    path(
        "mon-espace/calendrier/nouvelle-adresse/",
        views.calendar_token_regenerate,
        name="calendar_token_regenerate",
    ),
    path("recherche/", views.search, name="search"),
    path("agenda-papier/agenda.pdf", paper.agenda_pdf, name="paper_agenda"),
    path("agenda-papier/affiche/<int:pk>.pdf", paper.session_poster_pdf, name="paper_poster"),
]
