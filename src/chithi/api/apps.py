from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "chithi.api"
    label = "api"
