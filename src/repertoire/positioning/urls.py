from django.urls import path

from repertoire.positioning.views import employees, letters

app_name = "positioning"
urlpatterns = [
    path("", employees.employee_list, name="employees"),
    path("<int:pk>/", employees.employee_detail, name="employee"),
    path("<int:pk>/donnees.<str:format>", employees.personal_data, name="personal-data"),
    path("<int:pk>/effacer/", employees.erase, name="erase"),
    path("<int:pk>/lettre.pdf", letters.employee_letter, name="letter"),
]
