from django.apps import AppConfig


class PayConfig(AppConfig):
    name = "repertoire.pay"
    verbose_name = "Égalité salariale"
    default_auto_field = "django.db.models.BigAutoField"
