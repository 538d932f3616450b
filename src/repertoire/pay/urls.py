"""/egalite/: the equal-pay report, its exports and the pay ranges; a worker's letter."""

from django.urls import path

from repertoire.pay import views

app_name = "pay"
urlpatterns = [
    path("", views.index, name="index"),
    path("reseau/fourchettes/", views.network_ranges, name="network_ranges"),
    path("reseau/rapport.<str:format>", views.network_export, name="network_export"),
    path("lettre/<int:pk>/", views.worker_letter, name="worker_letter"),
    path("<slug:code>/", views.report, name="report"),
    path("<slug:code>/fourchettes/", views.ranges, name="ranges"),
    path("<slug:code>/rapport.<str:format>", views.export, name="export"),
]
