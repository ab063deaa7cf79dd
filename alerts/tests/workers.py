"""Real `celery worker` subprocesses for the fault tests: started on the real broker with the
test database, killed with SIGKILL, and what they leave on the broker cleaned up afterwards.

The `broker_url` fixture (conftest.py) gives the Redis broker this process publishes to.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings as django_settings
from django.db.models import Count

from vigilance.celery import app as celery_app

FALLBACK_BROKER = "redis://127.0.0.1:6379/5"  # a real broker even when REDIS_URL is unset
PROJECT_DIR = Path(__file__).resolve().parents[2]

# Variables of this process a worker must not inherit.
NOT_INHERITED = {"DJANGO_ALLOW_ASYNC_UNSAFE", "CELERY_TASK_ALWAYS_EAGER", "PYTEST_CURRENT_TEST"}


def worker_options(*, concurrency: int, pool: str = "prefork") -> list[str]:
    return [
        *("--pool", pool, "--concurrency", str(concurrency), "-l", "INFO"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]


def reset_broker_pools():
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def redis_broker():
    """The broker this process publishes to: Redis, never the in-memory transport."""
    previous = celery_app.conf.broker_url
    if previous and previous.startswith("redis"):
        yield previous
        return
    celery_app.conf.broker_url = FALLBACK_BROKER
    reset_broker_pools()
    try:
        yield FALLBACK_BROKER
    finally:
        celery_app.conf.broker_url = previous
        reset_broker_pools()


def database_url() -> str:
    """The test database, for the worker subprocesses."""
    db = django_settings.DATABASES["default"]
    credentials = quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(*, broker: str, queue: str, **variables: str) -> dict:
    """The environment of a worker on the test database and `broker`; `variables` add to it or
    override it (the settings read them: vigilance/settings.py). SMS go to an in-memory outbox
    and emails to memory unless `variables` say otherwise (twilio_env, smtp_env)."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(
        DJANGO_SETTINGS_MODULE="vigilance.settings",
        VIGILANCE_ALLOW_INSECURE_KEY="1",
        DATABASE_URL=database_url(),
        REDIS_URL=broker,
        CELERY_QUEUE=queue,
        SMS_BACKEND="alerts.sms_backends.LocmemSmsBackend",
        EMAIL_URL="memory:",
        PYTHONUNBUFFERED="1",
    )
    for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL"):
        env.pop(name, None)  # EMAIL_URL alone says where emails go, unless `variables` do
    env.update(variables)
    return env


def twilio_env(fake) -> dict:
    """SMS through the real twilio SDK to the fake Twilio of this process."""
    return {
        "SMS_BACKEND": "alerts.sms_backends.TwilioSmsBackend",
        "TWILIO_ACCOUNT_SID": django_settings.TWILIO_ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": django_settings.TWILIO_AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": django_settings.TWILIO_FROM_NUMBER,
        "TWILIO_MESSAGING_SERVICE_SID": "",
        "TWILIO_BASE_URL": fake.base_url,
        "TWILIO_TIMEOUT": "5",
    }


def smtp_env(sink) -> dict:
    """Emails through Django's SMTP backend to the SMTP sink of this process."""
    return {
        "EMAIL_URL": sink.url,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": str(sink.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_USE_SSL": "0",
    }


class Worker:
    """A `celery worker` subprocess in its own session, so that its pool dies with it."""

    def __init__(self, *, env: dict, queue: str, log: Path, options: list[str]):
        self.log = log
        self._log_file = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "vigilance", "worker", "-Q", queue, *options],
            cwd=PROJECT_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL to the main process and its pool children: no shutdown, no ack, no cleanup."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._log_file.close()

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def forget_queued_messages(broker: str, queue: str) -> None:
    """Drops what a killed worker left on the broker (its unacked batches) and our queue, so
    that no later test's worker gets these messages back after the visibility timeout."""
    import redis

    client = redis.Redis.from_url(broker)
    # kombu's Redis transport keeps unacked messages in these two keys (its defaults).
    for tag, raw in client.hgetall("unacked").items():
        if json.loads(raw)[2] == queue:
            client.pipeline().hdel("unacked", tag).zrem("unacked_index", tag).execute()
    client.delete(queue)


def statuses(alert) -> dict:
    """How many of the alert's deliveries are in each status."""
    return dict(alert.deliveries.values_list("status").annotate(n=Count("id")))
