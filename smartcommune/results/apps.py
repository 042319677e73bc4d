from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ResultsConfig(AppConfig):
    name = "smartcommune.results"
    label = "results"
    verbose_name = pgettext_lazy("app", "Kết quả")
