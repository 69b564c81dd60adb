from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [path("partage/<str:token>/", views.shared_report, name="shared")]
