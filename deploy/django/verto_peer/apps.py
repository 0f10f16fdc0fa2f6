from django.apps import AppConfig


class VertoPeerConfig(AppConfig):
    name = "verto_peer"
    verbose_name = "verto-peer"
