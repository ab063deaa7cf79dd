"""The channel for a delivery's `channel` field."""

from .base import Channel
from .email import EmailChannel
from .sms import SmsChannel

CHANNELS: dict[str, type] = {"sms": SmsChannel, "email": EmailChannel}


def get_channel(name: str) -> Channel:
    return CHANNELS[name]()
