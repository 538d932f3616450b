from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PositioningConfig(AppConfig):
    name = "repertoire.positioning"
    verbose_name = _("Establishments and employees")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Publishing an edition is confirmed on a page of the editions that states its
        # consequences for the campaign (``editions:publish``), then followed on its own
        # page while it runs (``editions:publish-status``): made here, the catalog
        # reads no positioning.
        from django.urls import path

        from repertoire.catalog import urls_editions
        from repertoire.positioning.views import publication

        urls_editions.urlpatterns += [
            path("<str:label>/publier/", publication.publish, name="publish"),
            path("<str:label>/publier/<int:pk>/", publication.status, name="publish-status"),
        ]
