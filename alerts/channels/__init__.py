"""How a delivery leaves: one channel per way of reaching a member.

- `base`: `ChannelError` and the interface every channel follows;
- `sms`: SMS through the backend of the SMS_BACKEND setting (`alerts.sms_backends`);
- `email`: email through Django's email backend;
- `voice`: a call read aloud to a landline, through the VOICE_BACKEND setting's backend;
- `registry`: `get_channel(name)`, the channel of a delivery's `channel` field.

Nothing is imported here: `alerts.sms_backends` raises `base.ChannelError`, and importing a
module of this package runs this file first, so a channel imported here would loop back.
"""
