from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "repertoire.publishing"
    verbose_name = "Publication"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The diff's PDF annex is a page of the editions (/editions/comparer/annexe.pdf,
        # ``editions:annex``), made here: publishing adds it, the catalog imports nothing
        # of publishing.
        from django.urls import path

        from repertoire.catalog import urls_editions
        from repertoire.publishing import views

        urls_editions.urlpatterns.append(
            path("comparer/annexe.pdf", views.diff_annex, name="annex")
        )
