from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DemoConfig(AppConfig):
    name = "smartcommune.demo"
    label = "demo"
    verbose_name = pgettext_lazy("app", "Dữ liệu mô phỏng (synthetic demo data)")

    def ready(self) -> None:
        # Importing connects the signals that keep the banner's cached answer fresh.
        from smartcommune.demo import context_processors  # noqa: F401
