from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "smartcommune.api"
    label = "api"
    verbose_name = "API"
