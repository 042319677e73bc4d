from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "smartcommune.results"
    label = "results"
    verbose_name = "Kết quả"
