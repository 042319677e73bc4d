from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "smartcommune.surveys"
    verbose_name = "Khảo sát sự hài lòng"
    label = "surveys"

    def ready(self) -> None:
        # Importing registers the configuration checks.
        from smartcommune.surveys import checks  # noqa: F401
