from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ImportsConfig(AppConfig):
    name = "smartcommune.imports"
    label = "imports"
    verbose_name = pgettext_lazy("app", "Nhập dữ liệu")
