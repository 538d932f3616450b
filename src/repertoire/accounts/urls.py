from django.contrib.auth import views as auth_views
from django.urls import path

from repertoire.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("jetons/<int:pk>/revoquer/", views.revoke_token, name="revoke-token"),
    path("utilisateurs/", views.users, name="users"),
    path("utilisateurs/<int:pk>/desactiver/", views.deactivate, name="deactivate"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path(
        "deconnexion/",
        auth_views.LogoutView.as_view(template_name="accounts/logged_out.html"),
        name="logout",
    ),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url="/compte/mot-de-passe/modifie/",
        ),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_change_done",
    ),
]
