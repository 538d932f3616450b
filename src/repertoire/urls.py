from django.urls import include, path

from repertoire.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("repertoire.publishing.urls")),
    path("", include("repertoire.catalog.urls")),
]
