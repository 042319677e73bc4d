from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SurveysConfig(AppConfig):
    name = "smartcommune.surveys"
    verbose_name = pgettext_lazy("app", "Khảo sát sự hài lòng")
    label = "surveys"

    def ready(self) -> None:
        # Importing registers the configuration checks.
        from smartcommune.surveys import checks  # noqa: F401
