from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RoundsConfig(AppConfig):
    name = "smartcommune.rounds"
    label = "rounds"
    verbose_name = pgettext_lazy("app", "Đợt đánh giá")

    def ready(self) -> None:
        # Importing registers the configuration checks.
        from smartcommune.rounds import checks  # noqa: F401
