"""Delivery channels share one small interface: `send(delivery) -> provider id`, raising
ChannelError. The channel decides whether an error is permanent; the task owns retries."""


class ChannelError(Exception):
    def __init__(self, message: str, *, permanent: bool, code: str = ""):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.code = code


def get_channel(name: str):
    from .email import EmailChannel
    from .sms import SmsChannel

    return {"sms": SmsChannel, "email": EmailChannel}[name]()
