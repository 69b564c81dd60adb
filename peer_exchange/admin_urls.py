from django.urls import path

from . import admin_views

app_name = "peer_exchange_admin"

urlpatterns = [
    path("", admin_views.proposal_index, name="proposal_index"),
    path("<int:pk>/", admin_views.proposal_detail, name="proposal_detail"),
    path("<int:pk>/accepter/", admin_views.proposal_accept, name="proposal_accept"),
    path("<int:pk>/refuser/", admin_views.proposal_decline, name="proposal_decline"),
]
