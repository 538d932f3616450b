from django.urls import path

from repertoire.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("emplois/<slug:code>/", views.job_sheet, name="job"),
]
