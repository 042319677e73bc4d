from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AccountsConfig(AppConfig):
    name = "smartcommune.accounts"
    label = "accounts"
    verbose_name = pgettext_lazy("app", "Người dùng và vai trò")
