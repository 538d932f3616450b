"""/editions/: the editions side by side, preparing a draft, publishing, the diff.

Apps above the catalog add their own pages under /editions/, in this namespace, from their
``AppConfig.ready()`` (publishing: the diff's PDF annex, ``editions:annex``): the catalog
imports none of them."""

from django.urls import path

from repertoire.catalog import edition_views as views

app_name = "editions"
urlpatterns = [
    path("", views.edition_list, name="list"),
    path("comparer/", views.diff, name="diff"),
    path("comparer/appariement/", views.pairing, name="pairing"),
    path("<str:label>/", views.detail, name="detail"),
    path("<str:label>/copier/", views.copy, name="copy"),
    # ``<label>/publier/`` (``editions:publish``) is the positioning app's: the page states
    # what publishing does to the campaign (``PositioningConfig.ready`` adds it).
    path("<str:label>/grille/", views.grid, name="grid"),
    path("<str:label>/rome/", views.rome_correspondence, name="rome"),
    path("<str:label>/rome/annuler/", views.rome_correspondence_undo, name="rome-undo"),
    path("<str:label>/emplois/nouveau/", views.job_form, name="job-new"),
    path("<str:label>/emplois/<slug:code>/", views.job_form, name="job-edit"),
    path("<str:label>/emplois/<slug:code>/retirer/", views.retire, name="job-retire"),
    path("<str:label>/emplois/<slug:code>/rome/", views.job_rome, name="job-rome"),
]
