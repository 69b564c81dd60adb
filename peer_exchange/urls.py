from django.urls import path

from . import views

app_name = "peer_exchange"

urlpatterns = [
    path("propositions/nouvelle/", views.proposal_create, name="proposal_create"),
    path("propositions/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("dates/<int:pk>/je-suis-disponible/", views.proposal_vote, name="proposal_vote"),
    path("dates/<int:pk>/retirer/", views.proposal_unvote, name="proposal_unvote"),
    path("propositions/<int:pk>/clore/", views.proposal_close, name="proposal_close"),
]
