from .api import api

app_name = "api"
urlpatterns, _app_name, _namespace = api.urls
