from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "smartcommune.documents"
    label = "documents"
    verbose_name = "Văn bản"
