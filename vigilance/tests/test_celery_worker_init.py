"""The worker's main process loads the URLs and message templates before its pool forks."""

import pytest
from celery.signals import worker_init


# Celery's Django fixup also receives the signal, and warns that no worker instance came with it.
@pytest.mark.filterwarnings("ignore::celery.exceptions.FixupWarning")
def test_the_worker_loads_every_message_template_before_forking():
    responses = worker_init.send(sender=None)  # what `celery worker` sends before forking

    # Celery logs a failing receiver and returns its exception as the response.
    loaders = [response for receiver, response in responses if receiver.__name__ == "_load_before_forking"]
    assert loaders == [None]
