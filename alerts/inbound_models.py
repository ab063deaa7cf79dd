"""A model of the inbound SMS (alerts.services.inbound), kept apart so that alerts/models.py
stays short; alerts.models imports it, so that Django finds it as before."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SmsReportDraft(models.Model):
    """A report received by SMS from a member of several communities, waiting for them to
    answer which one (by its number in `community_ids`); it expires after DRAFT_LIFETIME."""

    sender_key = models.CharField(_("sender (digest)"), max_length=64, unique=True)
    body = models.TextField(_("report"), max_length=2000)
    community_ids = models.JSONField(_("communities offered"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("SMS report waiting for a community")
        verbose_name_plural = _("SMS reports waiting for a community")

    def __str__(self):
        return f"{self.sender_key[:8]}… ({self.created_at:%Y-%m-%d %H:%M})"
