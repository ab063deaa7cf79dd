"""What every channel is: a small interface, and the one error it raises.

The channel decides whether an error is permanent (a wrong number: trying again cannot help)
or transient (the provider is busy: try later); the task that sends owns the retry policy
(`alerts.services.sending`).
"""

from typing import Protocol


class ChannelError(Exception):
    """A message could not be handed to the provider. `code` is the provider's, when known."""

    def __init__(self, message: str, *, permanent: bool, code: str = ""):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.code = code


class Channel(Protocol):
    """One instance per batch of deliveries, closed once the batch is done."""

    def send(self, delivery) -> str:
        """Hands the delivery's message to the provider and returns the provider's id for it.
        Raises ChannelError."""

    def find_sent(self, delivery) -> str | None:
        """The provider's id of this very message if the provider already accepted it, None if
        it did not or cannot tell: asked before re-sending a delivery whose worker died mid-send.
        Raises ChannelError when the provider cannot be asked now."""

    def close(self) -> None:
        """Releases what the channel held for the batch (a connection)."""
