"""Writes for alerts, one module per concern. Import the module you need; nothing is
re-exported here (a package that imports its modules makes every importer depend on all of
them, and loops back).

- `publishing`: a member's report and a police warning, from the form to the deliveries
  planned and the fan-out queued on commit. Read it to know what publishing does.
- `moderation`: referents approve, reject and withdraw alerts; members flag them.
- `sending`: workers claim deliveries, hand them to a channel and record the outcome; the
  retry policy.
- `recovery`: periodic jobs: deliveries whose quiet hours ended, deliveries left stuck.
- `preferences`: a member's notification settings, SMS opt-out and opt-in, email stop.
- `provider_status`: delivery statuses reported by the provider (SMS and calls).
- `phone_verification`: the SMS code that proves a member owns their number.
- `landline_verification`: the code a call reads to prove a member owns their landline.
- `inbound` (and `inbound_replies`): what a text sent to the platform's number does: a
  member's report, a receipt (OK / 1), AIDE, STOP / START; once per Twilio message id.
- `checkin`: welfare check-ins: enrolment, the rounds asked at the resident's days and hour
  (periodic tasks in alerts.checkin_tasks), the notices of a missed round, what closes one.
- `retention`: alerts anonymised and delivery addresses forgotten after their retention period.

Layers, each importing only those above it: models → channels, messages → preferences →
sending, recovery, provider_status → tasks → publishing, checkin → moderation.
"""
