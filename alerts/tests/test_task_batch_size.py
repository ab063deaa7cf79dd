"""Fan-out batch sizes: never above ALERT_BATCH_SIZE, and spread over the worker processes."""

from alerts.tasks import batch_size


def test_large_fan_outs_use_the_configured_batch_size(settings):
    settings.ALERT_BATCH_SIZE = 200
    settings.CELERY_WORKER_CONCURRENCY = 4
    assert batch_size(10_000) == 200


def test_small_fan_outs_are_spread_over_every_process(settings):
    settings.ALERT_BATCH_SIZE = 200
    settings.CELERY_WORKER_CONCURRENCY = 4
    assert batch_size(1_000) == 63  # 16 batches for 4 processes
    assert batch_size(30) == 20  # but not smaller than 20


def test_the_configured_size_is_a_ceiling(settings):
    settings.ALERT_BATCH_SIZE = 7
    assert batch_size(1_000) == 7
