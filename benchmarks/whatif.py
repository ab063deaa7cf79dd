"""The benchmark's Celery app with candidate optimisations patched in, to size them before
anyone changes the app: `python benchmarks/fanout.py --what-if` runs its worker with
`celery -A whatif`. Nothing here is used by Vigilance itself.

Each patch stands for a change proposed in benchmarks/README.md:
1. the SMS text is rendered once per alert (it is the same for every recipient);
2. the alert's sender name is read once per alert, not once per message;
3. the email channel opens one SMTP connection per batch (Django's backend otherwise
   connects, greets and quits around every single message);
4. the workers' status updates commit without waiting for the WAL flush
   (synchronous_commit off: a crash can lose the last few updates, which the recovery
   of stuck deliveries already handles);
5. with WHATIF_THREADS > 1, a batch is sent by that many threads, so that a process keeps
   several requests to the provider in flight.
"""

import os
from concurrent.futures import ThreadPoolExecutor

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigilance.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.backends.signals import connection_created  # noqa: E402

from alerts import messages, services  # noqa: E402
from alerts.channels import email as email_channel  # noqa: E402
from alerts.channels import get_channel  # noqa: E402
from alerts.channels import sms as sms_channel  # noqa: E402
from alerts.models import Delivery  # noqa: E402
from vigilance.celery import app  # noqa: E402, F401  (the app `celery -A whatif` runs)

THREADS = int(os.environ.get("WHATIF_THREADS", "1"))


def _once_per_alert(function, key):
    cache = {}

    def cached(obj):
        k = key(obj)
        if k not in cache:
            cache[k] = function(obj)
        return cache[k]

    return cached


sms_channel.sms_text = _once_per_alert(messages.sms_text, lambda d: (d.alert_id, d.purpose))
messages.sender_name = _once_per_alert(messages.sender_name, lambda alert: alert.id)

_email_init = email_channel.EmailChannel.__init__


def _email_channel_init(self):
    _email_init(self)
    self.connection.open()  # then message.send() reuses it; close() ends it


email_channel.EmailChannel.__init__ = _email_channel_init


def _asynchronous_commit(sender, connection, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")


connection_created.connect(_asynchronous_commit)


def _send_group(deliveries):
    channels, retry = {}, []
    try:
        for delivery in deliveries:
            if not services._claim(delivery):
                continue
            channel = channels.get(delivery.channel) or channels.setdefault(
                delivery.channel, get_channel(delivery.channel)
            )
            if not services.delivery_send_one(delivery, channel):
                retry.append(delivery)
    finally:
        for channel in channels.values():
            channel.close()
        connection.close()  # this thread's own connection
    return retry


def _deliveries_send_threaded(*, delivery_ids):
    """services.deliveries_send, with the candidates shared out between threads."""
    services._cancel_if_alert_gone(delivery_ids)
    candidates = list(
        Delivery.objects.filter(id__in=delivery_ids, status=Delivery.Status.QUEUED)
        .select_related("alert")
        .order_by("channel", "id")
    )
    groups = [candidates[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(THREADS) as pool:
        return [d for retry in pool.map(_send_group, groups) for d in retry]


if THREADS > 1:
    services.deliveries_send = _deliveries_send_threaded
