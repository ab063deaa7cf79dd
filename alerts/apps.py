from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self):
        # The check-in tasks live outside alerts.tasks (which their service imports).
        from . import checkin_tasks  # noqa: F401
