from celery import shared_task

from accounts.privacy import retention_apply


@shared_task
def apply_retention() -> dict:
    return retention_apply()
