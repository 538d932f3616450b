from django.urls import include, path

from repertoire.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("compte/", include("repertoire.accounts.urls")),
    path("personnel/", include("repertoire.positioning.urls")),
    path("positionnement/", include("repertoire.positioning.urls_worklist")),
    path("rapports/", include("repertoire.positioning.urls_reports")),
    path("pesees/", include("repertoire.evaluation.urls")),
    path("journal/", include("repertoire.audit.urls")),
    path("egalite/", include("repertoire.pay.urls")),
    path("editions/", include("repertoire.catalog.urls_editions")),
    path("", include("repertoire.publishing.urls")),
    path("", include("repertoire.catalog.urls")),
]
