from django.urls import path

from repertoire.positioning import views

app_name = "positioning"
urlpatterns = [
    path("", views.employee_list, name="employees"),
    path("<int:pk>/", views.employee_detail, name="employee"),
]
