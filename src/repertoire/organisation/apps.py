from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "repertoire.organisation"
    verbose_name = _("establishments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every stored text has a limit: an object of the app is refused before it is
        # saved with a text longer than its field holds (``validation.refuse_long_texts``),
        # and holds no control character a document could not (``drop_control_characters``).
        from django.db.models.signals import pre_save

        from repertoire.validation import drop_control_characters, refuse_long_texts

        pre_save.connect(drop_control_characters, dispatch_uid="repertoire.drop_controls")
        pre_save.connect(refuse_long_texts, dispatch_uid="repertoire.refuse_long_texts")
