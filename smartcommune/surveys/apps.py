from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "smartcommune.surveys"
    verbose_name = "Khảo sát sự hài lòng"
    label = "surveys"
