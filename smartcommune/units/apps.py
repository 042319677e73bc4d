from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class UnitsConfig(AppConfig):
    name = "smartcommune.units"
    label = "units"
    verbose_name = pgettext_lazy("app", "Đơn vị hành chính")
