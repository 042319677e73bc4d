from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "smartcommune.rounds"
    label = "rounds"
    verbose_name = "Đợt đánh giá"

    def ready(self) -> None:
        # Importing registers the configuration checks.
        from smartcommune.rounds import checks  # noqa: F401
