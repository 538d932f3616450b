from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "repertoire.evaluation"
    verbose_name = _("Evaluation of local jobs")
    default_auto_field = "django.db.models.BigAutoField"
