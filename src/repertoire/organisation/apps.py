from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "repertoire.organisation"
    verbose_name = _("establishments")
    default_auto_field = "django.db.models.BigAutoField"
