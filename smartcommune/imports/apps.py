from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "smartcommune.imports"
    label = "imports"
    verbose_name = "Nhập dữ liệu"
