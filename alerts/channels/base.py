"""What every channel is: a small interface, and the one error it raises.

The channel decides whether an error is permanent (a wrong number: trying again cannot help),
transient (the provider is busy: try later) or of unknown outcome (a timeout, a connection lost
after the request was written: the provider may have accepted the message, so it is asked before
anything is sent again); the task that sends owns the retry policy (`alerts.services.sending`).
"""

from typing import Protocol


class ChannelError(Exception):
    """A message could not be handed to the provider. `code` is the provider's, when known."""

    def __init__(self, message: str, *, permanent: bool, code: str = "", unknown: bool = False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.code = code
        self.unknown = unknown  # the provider may have accepted the message


class Channel(Protocol):
    """One instance per batch of deliveries, closed once the batch is done."""

    def send(self, delivery) -> str:
        """Hands the delivery's message to the provider and returns the provider's id for it.
        Raises ChannelError."""

    def find_sent(self, delivery) -> list[str]:
        """The provider's ids of what it accepted that may be this delivery, newest first: SMS
        with this very text for this address, calls placed to this number since the delivery
        was created; empty if none or if the channel cannot tell. Asked before re-sending a
        delivery whose outcome is unknown (ids another delivery holds are then left out).
        Raises ChannelError when the provider cannot be asked now."""

    def close(self) -> None:
        """Releases what the channel held for the batch (a connection)."""
