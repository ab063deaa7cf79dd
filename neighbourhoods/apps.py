from django.apps import AppConfig


class NeighbourhoodsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "neighbourhoods"
