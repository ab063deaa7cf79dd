from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .checkin_models import CHECK_IN_DELIVERY_CONSTRAINTS, CheckIn, CheckInRound  # noqa: F401
from .inbound_models import SmsReportDraft  # noqa: F401


class Alert(models.Model):
    """A report by a member, a warning by the municipal police, or a confidential notice to
    referents. It targets one community (a member's report) or several (the police's)."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("member's report")
        POLICE = "police", _("police warning")
        NOTICE = "notice", _("confidential notice to referents")

    class Category(models.TextChoices):
        SUSPICIOUS_VEHICLE = "vehicle", _("Suspicious vehicle")
        REPEATED_PASSES = "passes", _("Repeated passes in front of a home")
        VULNERABLE_PERSON = "vulnerable", _("Lone or vulnerable person not seen for days")
        BURGLARY = "burglary", _("Attempted burglary or burglary")
        SCAM = "scam", _("Door-to-door scam or fake utility agent")
        OTHER = "other", _("Other")

    class Urgency(models.TextChoices):
        INFORMATION = "information", _("Information")
        VIGILANCE = "vigilance", _("Vigilance")
        URGENT = "urgent", _("Urgent")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("author"),
    )
    commune = models.ForeignKey(
        "neighbourhoods.Commune", on_delete=models.PROTECT, related_name="alerts", verbose_name=_("commune")
    )
    communities = models.ManyToManyField(
        "neighbourhoods.Community",
        related_name="alerts",
        through="AlertCommunity",
        verbose_name=_("communities"),
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.VIGILANCE
    )
    description = models.TextField(_("what happened"), max_length=2000)
    street = models.CharField(_("street"), max_length=150, blank=True)
    occurred_at = models.DateTimeField(_("when"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Indexed: the admin lists alerts newest first, and the retention job reads the old ones.
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderation_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # Set when the alert and its deliveries are added to the commune's figures (services.tally).
    tallied_at = models.DateTimeField(_("counted in the figures at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]
        indexes = [
            # The published alerts not yet counted in the figures: a few days' worth at most.
            models.Index(
                fields=["published_at"],
                condition=Q(tallied_at__isnull=True, published_at__isnull=False),
                name="alert_not_tallied",
            )
        ]

    def __str__(self):
        return f"{self.get_category_display()} — {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    # Django's get_FOO_display() rebuilds a dict of the choices on each call; a feed shows
    # dozens of these. The enums look the label up directly.
    def get_category_display(self):
        return _label(self.Category, self.category)

    def get_urgency_display(self):
        return _label(self.Urgency, self.urgency)

    def get_status_display(self):
        return _label(self.Status, self.status)

    def get_kind_display(self):
        return _label(self.Kind, self.kind)


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)  # translated now, as Django's get_FOO_display does
    except ValueError:
        return value


class AlertCommunity(models.Model):
    """An alert's link to one of its communities, with the alert's publication time copied in
    by the services that publish it: a community's feed reads its newest alerts straight from
    the index (community, published_at), however many it had over the years."""

    id = models.AutoField(primary_key=True)  # the table Django created for the plain link
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, verbose_name=_("alert"))
    community = models.ForeignKey(
        "neighbourhoods.Community", on_delete=models.CASCADE, verbose_name=_("community")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        db_table = "alerts_alert_communities"
        unique_together = [("alert", "community")]
        indexes = [
            models.Index(fields=["community", "-published_at", "-alert"], name="alert_community_feed"),
        ]

    def __str__(self):
        return f"{self.alert_id} → {self.community_id}"


class AlertFlag(models.Model):
    """A member says an alert is unfounded; the referent sees the flags."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="flags", verbose_name=_("alert"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("flagged by")
    )
    reason = models.CharField(_("why is it unfounded?"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="one_flag_per_member")]

    def __str__(self):
        return f"{self.alert} — {self.user}"


class Delivery(models.Model):
    """One message to one person on one channel: the unit that is claimed, sent and tracked."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("email")
        VOICE = "voice", _("voice call")  # to a verified landline, urgent alerts only

    class Purpose(models.TextChoices):
        ALERT = "alert", _("alert")
        WITHDRAWAL = "withdrawal", _("withdrawal notice")
        CHECK_IN = "check_in", _("check-in question")
        CHECK_IN_MISSED = "check_in_missed", _("missed check-in notice")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled (quiet hours)")
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        # The provider may have accepted it (a timeout, a connection lost mid-request, a worker
        # that died mid-send): it is asked before anything is sent again.
        CHECKING = "checking", _("checking with the provider")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, null=True, related_name="deliveries", verbose_name=_("alert")
    )
    check_in_round = models.ForeignKey("CheckInRound", on_delete=models.CASCADE, null=True, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
        verbose_name=_("recipient"),
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.ALERT)
    to = models.CharField(_("sent to"), max_length=254)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Written by each claim (QUEUED -> SENDING) and by nothing else: a worker records its
    # outcome only where its own claim is still the one there (alerts.services.sending).
    claim_id = models.UUIDField(_("claim"), null=True, blank=True, editable=False)
    provider_id = models.CharField(_("provider's message id"), max_length=64, blank=True, db_index=True)
    error_code = models.CharField(_("error code"), max_length=16, blank=True)
    error_message = models.CharField(_("error message"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The member answered OK (or 1) to the SMS, or pressed 1 during the call.
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "recipient", "channel", "purpose"],
                condition=Q(recipient__isnull=False),
                name="one_delivery_per_recipient_channel",
            ),
            *CHECK_IN_DELIVERY_CONSTRAINTS,
        ]
        indexes = [
            models.Index(fields=["status", "updated_at"], name="delivery_status_updated"),
            # An alert's progress, its fan-out and the dashboard's counts read this index alone.
            models.Index(
                fields=["alert", "purpose", "channel", "status", "updated_at"], name="delivery_alert_progress"
            ),
            # The retention job clears addresses older than 30 days: it reads only the rows that
            # still hold one, and this index shrinks as they are cleared.
            models.Index(fields=["created_at"], condition=~Q(to=""), name="delivery_address_kept"),
            # The acknowledged count of an urgent alert: a few entries per alert, not its deliveries.
            models.Index(
                fields=["alert", "channel"],
                condition=Q(acknowledged_at__isnull=False, purpose="alert"),
                name="delivery_acknowledged",
            ),
        ]

    def __str__(self):
        return f"{self.channel} → {self.to} ({self.status})"


class NotificationPreference(models.Model):
    """Which channels a member wants for each urgency, and their quiet hours."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    information_sms = models.BooleanField(_("information: SMS"), default=False)
    information_email = models.BooleanField(_("information: email"), default=True)
    vigilance_sms = models.BooleanField(_("vigilance: SMS"), default=True)
    vigilance_email = models.BooleanField(_("vigilance: email"), default=True)
    urgent_sms = models.BooleanField(_("urgent: SMS"), default=True)
    urgent_email = models.BooleanField(_("urgent: email"), default=True)
    quiet_hours_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet hours until"), null=True, blank=True)

    # The choices a member makes on the notifications page, in its order.
    CHANNEL_FIELDS = (
        "information_sms",
        "information_email",
        "vigilance_sms",
        "vigilance_email",
        "urgent_sms",
        "urgent_email",
    )
    CHOICE_FIELDS = CHANNEL_FIELDS + ("quiet_hours_start", "quiet_hours_end")

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    def wants(self, urgency: str, channel: str) -> bool:
        return getattr(self, f"{urgency}_{channel}")


class PhoneVerification(models.Model):
    """A code sent by SMS (a mobile) or read by a call (a landline) to prove a member owns the number."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        VOICE = "voice", _("voice call")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    phone = models.CharField(max_length=20)
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.SMS)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.phone} ({self.created_at:%Y-%m-%d %H:%M})"


class AlertTally(models.Model):
    """How many alerts a commune published in a month, per category and urgency: the commune
    dashboard reads these rows instead of every alert ever published (services.tally)."""

    commune = models.ForeignKey("neighbourhoods.Commune", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day, in the platform's time zone
    category = models.CharField(max_length=12, choices=Alert.Category.choices)
    urgency = models.CharField(max_length=12, choices=Alert.Urgency.choices)
    alerts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "month", "category", "urgency"], name="one_alert_tally_per_month"
            )
        ]

    def __str__(self):
        return f"{self.commune_id} {self.month:%Y-%m} {self.category}/{self.urgency}: {self.alerts}"


class DeliveryTally(models.Model):
    """How the alert messages of a commune's alerts published in a month ended, per channel:
    the commune dashboard reads these rows instead of every delivery ever made."""

    commune = models.ForeignKey("neighbourhoods.Commune", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    channel = models.CharField(max_length=5, choices=Delivery.Channel.choices)
    total = models.PositiveIntegerField(default=0)
    handed_off = models.PositiveIntegerField(default=0)  # sent or delivered
    delivered = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "month", "channel"], name="one_delivery_tally_per_month"
            )
        ]

    def __str__(self):
        return f"{self.commune_id} {self.month:%Y-%m} {self.channel}: {self.handed_off}/{self.total}"


class InboundSms(models.Model):
    """An SMS received on the platform's number, recorded by Twilio's MessageSid: a retried
    webhook (Twilio posts again after a timeout) gets the reply kept here and changes nothing.

    The sender is kept as a keyed digest (alerts.services.inbound.sender_key), never the
    number itself, and never the message's text: the rows count messages per sender for the
    rate limit and the once-only reply to unknown numbers, and are deleted after
    INBOUND_SMS_RETENTION (alerts.services.retention)."""

    class HandledAs(models.TextChoices):
        REPORT_PUBLISHED = "published", _("report published")
        REPORT_PENDING = "pending", _("report waiting for approval")
        REPORT_REFUSED = "refused", _("report refused (rules)")
        COMMUNITY_ASKED = "asked", _("community asked")
        COMMUNITY_CHOSEN = "chosen", _("answer to the community question")
        RECEIPT = "receipt", _("receipt of an urgent alert")
        CHECK_IN_ANSWERED = "check_in", _("check-in answered")
        CHECK_IN_STOPPED = "ci_stop", _("check-in stopped")
        NO_RECEIPT = "no_receipt", _("receipt with nothing to acknowledge")
        HELP = "help", _("help")
        STOP = "stop", _("SMS turned off")
        START = "start", _("SMS turned back on")
        UNKNOWN_NUMBER = "unknown", _("unknown number, told how to join")
        RATE_LIMITED = "limited", _("over the limit, told so")
        IGNORED = "ignored", _("ignored")

    sid = models.CharField(_("message id"), max_length=64, unique=True)
    sender_key = models.CharField(_("sender (digest)"), max_length=64)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    handled_as = models.CharField(_("handled as"), max_length=10, choices=HandledAs.choices)
    reply = models.CharField(_("reply"), max_length=320, blank=True)

    class Meta:
        verbose_name = _("inbound SMS")
        verbose_name_plural = _("inbound SMS")
        indexes = [models.Index(fields=["sender_key", "received_at"], name="inbound_sms_sender")]

    def __str__(self):
        return f"{self.sid} ({self.handled_as})"
