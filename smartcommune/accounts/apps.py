from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "smartcommune.accounts"
    label = "accounts"
    verbose_name = "Người dùng và vai trò"
