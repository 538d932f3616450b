from django.urls import path

from repertoire.positioning import views

app_name = "positioning"
urlpatterns = [
    path("", views.employee_list, name="employees"),
    path("<int:pk>/", views.employee_detail, name="employee"),
    path("<int:pk>/donnees.<str:format>", views.personal_data, name="personal-data"),
    path("<int:pk>/effacer/", views.erase, name="erase"),
]
