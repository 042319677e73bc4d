from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CriteriaSetsConfig(AppConfig):
    name = "smartcommune.criteriasets"
    label = "criteriasets"
    verbose_name = pgettext_lazy("app", "Bộ tiêu chí")
    default_auto_field = "django.db.models.BigAutoField"
