from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "repertoire.publishing"
    verbose_name = "Publication"
    default_auto_field = "django.db.models.BigAutoField"
