"""The welfare check-in of a resident who lives alone: at the days and hour they chose, an SMS
or a call asks whether all is well; no answer within their delay, and the neighbours they named
and their referents are told (alerts.services.checkin)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DELAY_MIN, DELAY_MAX = 30, 240  # minutes
WEEKDAY_NAMES = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


class CheckIn(models.Model):
    """One resident's check-in. `weekdays` is a bitmask, Monday = 1, Sunday = 64."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        VOICE = "voice", _("voice call")

    resident = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="check_in",
        verbose_name=_("resident"),
    )
    weekdays = models.PositiveSmallIntegerField(_("days"))
    hour = models.TimeField(_("hour"))
    channel = models.CharField(_("asked by"), max_length=5, choices=Channel.choices, default=Channel.SMS)
    answer_delay = models.PositiveSmallIntegerField(_("answer delay (minutes)"), default=60)
    neighbours = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="check_ins_watched", verbose_name=_("neighbours told")
    )
    shared_text = models.CharField(_("what the neighbours may know"), max_length=200, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("enrolled by"),
    )
    # When a referent enrols a resident: the referent confirmed having the resident's consent.
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True, db_index=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_delay__gte=DELAY_MIN, answer_delay__lte=DELAY_MAX),
                name="check_in_delay_range",
            ),
            models.CheckConstraint(condition=Q(weekdays__gt=0, weekdays__lt=128), name="check_in_weekdays"),
        ]

    def __str__(self):
        return f"{self.resident} {self.hour:%H:%M}"

    def on_weekday(self, weekday: int) -> bool:
        return bool(self.weekdays & (1 << weekday))

    def weekday_list(self) -> list[int]:
        return [day for day in range(7) if self.on_weekday(day)]


class CheckInRound(models.Model):
    """One asking of a check-in, at its scheduled time: created once per (check-in, time)."""

    class Status(models.TextChoices):
        PAUSED = "paused", _("paused (absence)")
        ASKED = "asked", _("asked")
        ANSWERED = "answered", _("answered")
        MISSED = "missed", _("missed")
        CHECKED = "checked", _("checked by a neighbour")

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="rounds")
    scheduled_for = models.DateTimeField(_("scheduled for"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ASKED)
    asked_at = models.DateTimeField(_("asked at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    missed_at = models.DateTimeField(_("missed at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-in round")
        verbose_name_plural = _("check-in rounds")
        constraints = [
            models.UniqueConstraint(fields=["check_in", "scheduled_for"], name="one_round_per_time")
        ]
        indexes = [models.Index(fields=["status", "asked_at"], name="check_in_round_status")]

    def __str__(self):
        return f"{self.check_in_id} {self.scheduled_for:%Y-%m-%d %H:%M} ({self.status})"


# Added to Delivery's constraints (alerts.models): a delivery belongs to an alert or to a
# check-in round, never both, and a round's messages are planned once per person and channel.
CHECK_IN_DELIVERY_CONSTRAINTS = [
    models.UniqueConstraint(
        fields=["check_in_round", "recipient", "channel", "purpose"],
        condition=Q(recipient__isnull=False),
        name="one_check_in_delivery_per_recipient",
    ),
    models.CheckConstraint(
        condition=Q(alert__isnull=False, check_in_round__isnull=True)
        | Q(alert__isnull=True, check_in_round__isnull=False),
        name="delivery_alert_or_round",
    ),
]
