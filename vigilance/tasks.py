from celery import shared_task

from . import services


@shared_task
def apply_retention() -> dict:
    return services.retention_apply()
