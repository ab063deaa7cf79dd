"""The SMTP sink of the benchmarks: the one the tests use, alerts/tests/smtp_sink.py (as the fake
Twilio is alerts/tests/fake_twilio.py). fanout.py puts the project's root on sys.path first."""

from alerts.tests.smtp_sink import SmtpSink

__all__ = ["SmtpSink"]
