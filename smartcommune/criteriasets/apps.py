from django.apps import AppConfig


class CriteriaSetsConfig(AppConfig):
    name = "smartcommune.criteriasets"
    label = "criteriasets"
    verbose_name = "Bộ tiêu chí"
    default_auto_field = "django.db.models.BigAutoField"
