from django.urls import path

from . import views

app_name = "territory"

urlpatterns = [
    path("", views.diagnosis_view, name="diagnosis"),
    path("partager/", views.share_create, name="share_create"),
    path("partage/<str:token>/", views.shared_view, name="shared"),
    path("partage/<str:token>/revoquer/", views.share_revoke, name="share_revoke"),
]
