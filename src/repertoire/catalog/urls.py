from django.urls import path

from repertoire.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("emplois/<slug:code>/", views.job_sheet, name="job"),
    path("recherche/", views.search, name="search"),
    path("comparer/", views.compare, name="compare"),
    path("criteres/", views.criteria_page, name="criteria"),
    path("niveaux/", views.levels_page, name="levels"),
]
