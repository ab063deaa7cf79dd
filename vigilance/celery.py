import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigilance.settings")

app = Celery("vigilance", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _load_before_forking(**kwargs):
    """Loads what sending needs (URLs, templates, translations) once in the main process,
    before the pool forks: the processes share it, and the first alert does not wait for it."""
    from alerts.messages import load_templates

    load_templates()
