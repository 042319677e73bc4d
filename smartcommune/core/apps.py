from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "smartcommune.core"
    label = "core"
    verbose_name = "smartcommune"

    def ready(self) -> None:
        # Importing registers the configuration checks.
        from smartcommune.core import checks  # noqa: F401
