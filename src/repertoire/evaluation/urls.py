from django.urls import path

from repertoire.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("nouvelle/", views.new, name="new"),
    path("resultat/", views.result, name="result"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/soumettre/", views.submit, name="submit"),
    path("<int:pk>/valider/", views.validate, name="validate"),
    path("<int:pk>/renvoyer/", views.send_back, name="send-back"),
    path("<int:pk>/commenter/", views.comment, name="comment"),
    path("<int:pk>/reviser/", views.revise, name="revise"),
    path("<int:pk>/reporter/", views.carry, name="carry"),
    path("<int:pk>/fiche.pdf", views.sheet_pdf, name="pdf"),
]
