from django.urls import path

from repertoire.publishing import views

app_name = "publishing"
urlpatterns = [
    path("emplois/<slug:code>/pdf/", views.job_pdf, name="job-pdf"),
    path("publications/<int:pk>/", views.status, name="status"),
    path("publications/<int:pk>/fichier/", views.download, name="download"),
    path("publications/<slug:format>/", views.publish, name="publish"),
]
