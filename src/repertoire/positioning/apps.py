from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PositioningConfig(AppConfig):
    name = "repertoire.positioning"
    verbose_name = _("Establishments and employees")
    default_auto_field = "django.db.models.BigAutoField"
