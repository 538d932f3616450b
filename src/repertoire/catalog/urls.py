from django.urls import path

from repertoire.catalog import appellation_views, views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("emplois/<slug:code>/", views.job_sheet, name="job"),
    path("recherche/", views.search, name="search"),
    path("comparer/", views.compare, name="compare"),
    path("criteres/", views.criteria_page, name="criteria"),
    path("niveaux/", views.levels_page, name="levels"),
    path("appellations/a-examiner/", appellation_views.review, name="appellations_review"),
    path(
        "appellations/<int:pk>/promouvoir/",
        appellation_views.promote,
        name="appellation_promote",
    ),
    path("appellations/<int:pk>/rejeter/", appellation_views.reject, name="appellation_reject"),
]
