import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init

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


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(task=None, **kwargs):
    """Between tasks as between requests: a connection that failed, or that is older than
    CONN_MAX_AGE, is closed (Django's request_started and request_finished do the same)."""
    if task is not None and not task.request.is_eager:
        from django.db import close_old_connections

        close_old_connections()
