"""/rapports/: the positioning report and its downloads."""

from django.urls import path

from repertoire.positioning.views import reports

app_name = "reports"
urlpatterns = [
    path("", reports.report, name="report"),
    path("export.<str:format>", reports.export, name="export"),
]
