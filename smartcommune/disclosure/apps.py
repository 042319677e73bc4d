from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "smartcommune.disclosure"
    label = "disclosure"
    verbose_name = "Công khai thông tin và phản hồi"
