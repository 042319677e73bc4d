from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DisclosureConfig(AppConfig):
    name = "smartcommune.disclosure"
    label = "disclosure"
    verbose_name = pgettext_lazy("app", "Công khai thông tin và phản hồi")
