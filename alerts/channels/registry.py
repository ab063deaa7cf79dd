"""The channel for a delivery's `channel` field."""

from .base import Channel
from .email import EmailChannel
from .sms import SmsChannel
from .voice import VoiceChannel

CHANNELS: dict[str, type] = {"sms": SmsChannel, "email": EmailChannel, "voice": VoiceChannel}


def get_channel(name: str) -> Channel:
    return CHANNELS[name]()
