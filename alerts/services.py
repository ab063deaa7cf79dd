"""Writes for alerts: publishing, moderation, and the life of each delivery.

Reading `alert_publish` tells what happens when an alert is published: the alert and one
delivery row per (recipient, channel) are committed together, then the fan-out task is
queued on commit. Workers claim each delivery before sending it, so a task that runs twice
never sends twice.
"""

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import NotFound
from accounts.roles import is_police_officer
from neighbourhoods.models import Community, ModerationEntry, Neighbourhood
from neighbourhoods.selectors import community_for_member, is_referent_of, official_commune_id
from neighbourhoods.services import moderation_log
from neighbourhoods.text import starts_with_house_number

from . import selectors, tasks
from .channels import ChannelError, get_channel
from .models import Alert, AlertFlag, Delivery, NotificationPreference, PhoneVerification
from .sms_backends import OPTED_OUT_CODE, get_sms_backend

User = get_user_model()
DeliveryStatus = Delivery.Status
MAX_DESCRIPTION = 2000
NOTIFICATION_FIELDS = [
    "information_sms",
    "information_email",
    "vigilance_sms",
    "vigilance_email",
    "urgent_sms",
    "urgent_email",
    "quiet_hours_start",
    "quiet_hours_end",
]


# Publishing -------------------------------------------------------------------------


def _clean_report(*, category: str, urgency: str, description: str, street: str, occurred_at) -> dict:
    errors = {}
    description = description.strip()
    street = " ".join(street.split())
    if category not in Alert.Category.values:
        errors["category"] = _("Choose a category.")
    if urgency not in Alert.Urgency.values:
        errors["urgency"] = _("Choose how urgent it is.")
    if not description:
        errors["description"] = _("Describe what you saw.")
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = _("Keep it under %(max)d characters.") % {"max": MAX_DESCRIPTION}
    if street and starts_with_house_number(street):
        errors["street"] = _("Give the street only, never a house number.")
    if len(street) > 150:
        errors["street"] = _("The street name is too long.")
    if occurred_at is not None:
        now = timezone.now()
        if occurred_at > now + timedelta(minutes=10):
            errors["occurred_at"] = _("This date is in the future.")
        elif occurred_at < now - timedelta(days=30):
            errors["occurred_at"] = _("Report only what happened in the last 30 days.")
    if errors:
        raise ValidationError(errors)
    return {
        "category": category,
        "urgency": urgency,
        "description": description,
        "street": street,
        "occurred_at": occurred_at,
    }


@transaction.atomic
def alert_publish(
    *, author, community_id: int, category: str, urgency: str, description: str, street: str, occurred_at=None
) -> Alert:
    """A member reports something unusual in the street to their community."""
    community = community_for_member(author, community_id)
    fields = _clean_report(
        category=category, urgency=urgency, description=description, street=street, occurred_at=occurred_at
    )
    needs_approval = community.alerts_need_approval and not is_referent_of(author, community.neighbourhood)
    alert = Alert.objects.create(
        kind=Alert.Kind.MEMBER,
        author=author,
        commune_id=community.neighbourhood.commune_id,
        status=Alert.Status.PENDING if needs_approval else Alert.Status.PUBLISHED,
        published_at=None if needs_approval else timezone.now(),
        **fields,
    )
    alert.communities.add(community)
    if needs_approval:
        tasks.notify_moderation.delay_on_commit(alert.id, "pending")
    else:
        _plan_and_queue(alert, Delivery.Purpose.ALERT)
    return alert


def police_targets(
    *, officer, community_ids=(), neighbourhood_ids=(), whole_commune=False
) -> list[Community]:
    """The communities a police officer may address; anything outside their commune is refused."""
    commune_id = official_commune_id(officer)
    if not is_police_officer(officer) or commune_id is None:
        raise PermissionDenied
    in_commune = Community.objects.filter(neighbourhood__commune_id=commune_id)
    community_ids, neighbourhood_ids = set(map(int, community_ids)), set(map(int, neighbourhood_ids))
    known = set(in_commune.filter(id__in=community_ids).values_list("id", flat=True))
    known_neighbourhoods = set(
        Neighbourhood.objects.filter(commune_id=commune_id, id__in=neighbourhood_ids).values_list(
            "id", flat=True
        )
    )
    if known != community_ids or known_neighbourhoods != neighbourhood_ids:
        raise ValidationError(_("You can only address the communities of your own commune."))
    if whole_commune:
        communities = in_commune
    else:
        communities = in_commune.filter(id__in=community_ids) | in_commune.filter(
            neighbourhood_id__in=neighbourhood_ids
        )
    communities = list(communities.distinct())
    if not communities:
        raise ValidationError(_("Choose at least one community, neighbourhood, or the whole commune."))
    return communities


@transaction.atomic
def police_alert_publish(
    *,
    officer,
    kind: str,
    communities: list[Community],
    category: str,
    urgency: str,
    description: str,
    street: str = "",
) -> Alert:
    """Municipal police warn members (kind police) or confidentially tell referents (notice)."""
    commune_id = official_commune_id(officer)
    if not is_police_officer(officer) or commune_id is None:
        raise PermissionDenied
    if kind not in (Alert.Kind.POLICE, Alert.Kind.NOTICE):
        raise ValidationError(_("Choose a warning to members or a notice to referents."))
    if any(c.neighbourhood.commune_id != commune_id for c in communities):
        raise ValidationError(_("You can only address the communities of your own commune."))
    fields = _clean_report(
        category=category, urgency=urgency, description=description, street=street, occurred_at=None
    )
    alert = Alert.objects.create(
        kind=kind,
        author=officer,
        commune_id=commune_id,
        status=Alert.Status.PUBLISHED,
        published_at=timezone.now(),
        **fields,
    )
    alert.communities.set(communities)
    if kind == Alert.Kind.POLICE:
        for community in communities:
            moderation_log(
                community=community,
                actor=officer,
                action=ModerationEntry.Action.POLICE_WARNING,
                subject=alert.get_category_display(),
            )
    _plan_and_queue(alert, Delivery.Purpose.ALERT)
    return alert


def _plan_and_queue(alert: Alert, purpose: str) -> int:
    """Creates the deliveries of an alert in bulk and queues the fan-out after commit."""
    now = timezone.now()
    rows = []
    if purpose == Delivery.Purpose.ALERT:
        for user in selectors.alert_recipients(alert).iterator(chunk_size=2000):
            not_before = None
            if alert.urgency != Alert.Urgency.URGENT:
                not_before = selectors.quiet_hours_end(selectors.preference_of(user), now)
            for channel in selectors.channels_for(user, alert.urgency):
                rows.append(
                    Delivery(
                        alert=alert,
                        recipient=user,
                        channel=channel,
                        purpose=purpose,
                        to=str(user.phone) if channel == Delivery.Channel.SMS else user.email,
                        status=DeliveryStatus.SCHEDULED if not_before else DeliveryStatus.QUEUED,
                        not_before=not_before,
                    )
                )
    else:  # a withdrawal goes to those who were told, on the channel they were told on
        told = alert.deliveries.filter(
            purpose=Delivery.Purpose.ALERT,
            status__in=[DeliveryStatus.SENDING, DeliveryStatus.SENT, DeliveryStatus.DELIVERED],
            recipient__isnull=False,
        ).select_related("recipient")
        rows = [
            Delivery(alert=alert, recipient_id=d.recipient_id, channel=d.channel, purpose=purpose, to=d.to)
            for d in told
            # someone who answered STOP since gets no more SMS, not even this one
            if d.channel != Delivery.Channel.SMS or d.recipient.can_receive_sms
        ]
    Delivery.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    tasks.fan_out.delay_on_commit(alert.id, purpose)
    return len(rows)


# Moderation -------------------------------------------------------------------------


def _alert_for_referent(referent, alert_id: int) -> Alert:
    alert = Alert.objects.select_for_update().filter(id=alert_id).exclude(kind=Alert.Kind.NOTICE).first()
    if alert is None:
        raise NotFound
    neighbourhood_ids = alert.communities.values_list("neighbourhood_id", flat=True)
    if (
        not referent.is_authenticated
        or not referent.referent_roles.filter(neighbourhood_id__in=neighbourhood_ids).exists()
    ):
        raise NotFound
    return alert


def _moderate(alert: Alert, referent, status: str, reason: str = "") -> None:
    alert.status = status
    alert.moderated_by = referent
    alert.moderated_at = timezone.now()
    alert.moderation_reason = reason.strip()
    if status == Alert.Status.PUBLISHED:
        alert.published_at = alert.moderated_at
    alert.save()
    action = {
        Alert.Status.PUBLISHED: ModerationEntry.Action.ALERT_APPROVED,
        Alert.Status.REJECTED: ModerationEntry.Action.ALERT_REJECTED,
        Alert.Status.WITHDRAWN: ModerationEntry.Action.ALERT_WITHDRAWN,
    }[status]
    for community in alert.communities.all():
        moderation_log(
            community=community,
            actor=referent,
            action=action,
            subject=alert.get_category_display(),
            reason=alert.moderation_reason,
        )


@transaction.atomic
def alert_approve(*, referent, alert_id: int) -> Alert:
    alert = _alert_for_referent(referent, alert_id)
    if alert.status != Alert.Status.PENDING:
        raise ValidationError(_("This alert is no longer waiting for approval."))
    _moderate(alert, referent, Alert.Status.PUBLISHED)
    _plan_and_queue(alert, Delivery.Purpose.ALERT)
    return alert


@transaction.atomic
def alert_reject(*, referent, alert_id: int, reason: str) -> Alert:
    if not reason.strip():
        raise ValidationError(_("Give the author the reason for the rejection."))
    alert = _alert_for_referent(referent, alert_id)
    if alert.status != Alert.Status.PENDING:
        raise ValidationError(_("This alert is no longer waiting for approval."))
    _moderate(alert, referent, Alert.Status.REJECTED, reason)
    tasks.notify_moderation.delay_on_commit(alert.id, "rejected")
    return alert


@transaction.atomic
def alert_withdraw(*, referent, alert_id: int, reason: str = "") -> Alert:
    """Withdraws a published alert: what was not sent yet is cancelled; who was told is told."""
    alert = _alert_for_referent(referent, alert_id)
    if alert.status != Alert.Status.PUBLISHED:
        raise ValidationError(_("Only a published alert can be withdrawn."))
    _moderate(alert, referent, Alert.Status.WITHDRAWN, reason)
    alert.deliveries.filter(
        purpose=Delivery.Purpose.ALERT, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SCHEDULED]
    ).update(status=DeliveryStatus.CANCELLED, updated_at=timezone.now())
    _plan_and_queue(alert, Delivery.Purpose.WITHDRAWAL)
    return alert


def alert_flag(*, user, alert_id: int, reason: str = "") -> AlertFlag:
    alert = selectors.alert_visible_to(user, alert_id)
    if alert.author_id == user.id:
        raise ValidationError(_("You cannot flag your own alert."))
    try:
        with transaction.atomic():
            return AlertFlag.objects.create(alert=alert, user=user, reason=reason.strip()[:300])
    except IntegrityError:
        raise ValidationError(_("You have already flagged this alert.")) from None


# Sending ----------------------------------------------------------------------------


def _without_withdrawn(deliveries: list[Delivery]) -> list[Delivery]:
    """A retry or a recovered delivery of an alert withdrawn meanwhile is cancelled, not sent."""
    gone = {
        d.id
        for d in deliveries
        if d.purpose == Delivery.Purpose.ALERT and d.alert.status != Alert.Status.PUBLISHED
    }
    if gone:
        Delivery.objects.filter(id__in=gone, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.CANCELLED, updated_at=timezone.now()
        )
    return [d for d in deliveries if d.id not in gone]


def _claim(deliveries: list[Delivery]) -> tuple[list[Delivery], object]:
    """Claims a few queued deliveries at once (QUEUED -> SENDING) and returns those this worker
    got, with the claim's time. Rows another worker holds or has taken are skipped: a task that
    runs twice never sends twice. The claim's time, written in `updated_at`, is its token: the
    outcome is recorded only where it is still there (see `_release`)."""
    now = timezone.now()
    with transaction.atomic():
        # Locked by id, their status checked here: a condition on the status in SQL can lead
        # PostgreSQL to scan every queued delivery (see `deliveries_send`).
        locked = Delivery.objects.select_for_update(skip_locked=True).filter(
            id__in=[d.id for d in deliveries]
        )
        ids = {pk for pk, status in locked.values_list("id", "status") if status == DeliveryStatus.QUEUED}
        Delivery.objects.filter(id__in=ids).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, updated_at=now
        )
    claimed = [d for d in deliveries if d.id in ids]
    for delivery in claimed:
        delivery.status, delivery.attempts, delivery.updated_at = (
            DeliveryStatus.SENDING,
            delivery.attempts + 1,
            now,
        )
    return claimed, now


def _held(deliveries: list[Delivery], claimed_at):
    """The deliveries still held by the claim made at `claimed_at`."""
    return Delivery.objects.filter(
        id__in=[d.id for d in deliveries], status=DeliveryStatus.SENDING, updated_at=claimed_at
    )


def _release(deliveries: list[Delivery], claimed_at) -> None:
    """Gives back claimed deliveries that were not tried: they are queued again, uncounted."""
    _held(deliveries, claimed_at).update(
        status=DeliveryStatus.QUEUED, attempts=F("attempts") - 1, updated_at=timezone.now()
    )
    for delivery in deliveries:
        delivery.status, delivery.attempts = DeliveryStatus.QUEUED, delivery.attempts - 1


def _record_sent(deliveries: list[Delivery], claimed_at) -> None:
    """One UPDATE for the deliveries the provider accepted since the claim. Each has its own
    provider id: a plain SQL `CASE id WHEN ...`, a tenth of the CPU of `Case(When(...))`."""
    if deliveries:
        now = timezone.now()
        params = [value for d in deliveries for value in (d.id, d.provider_id)]
        sql = "CASE id" + " WHEN %s THEN %s" * len(deliveries) + " END"  # values go as parameters
        provider_ids = RawSQL(sql, params)  # noqa: S611
        _held(deliveries, claimed_at).update(
            status=DeliveryStatus.SENT, provider_id=provider_ids, sent_at=now, updated_at=now
        )


def deliveries_send(*, delivery_ids: list[int]) -> list[Delivery]:
    """Sends the given deliveries that are still queued. Returns those to retry later.

    They are claimed DELIVERY_CLAIM_SIZE at a time and their outcomes recorded together, so a
    delivery costs a fraction of a query. A claim is used for half of DELIVERY_STUCK_AFTER at
    most: with a slow provider, what was not tried by then is given back and claimed again, so
    the recovery of stuck deliveries never takes a delivery still waiting to be sent.
    """
    # Read by id alone: queued deliveries are few in the planner's statistics, and during a
    # large fan-out `status = 'queued'` in SQL would make each batch scan all of them.
    batch = Delivery.objects.filter(id__in=delivery_ids).select_related("alert").order_by("channel", "id")
    pending = _without_withdrawn([d for d in batch if d.status == DeliveryStatus.QUEUED])
    retry = []
    channels = {}
    try:
        while pending:
            claimed, claimed_at = _claim(pending[: settings.DELIVERY_CLAIM_SIZE])
            pending = pending[settings.DELIVERY_CLAIM_SIZE :]
            lease_ends = time.monotonic() + settings.DELIVERY_STUCK_AFTER / 2
            sent = []
            try:
                for index, delivery in enumerate(claimed):
                    if time.monotonic() > lease_ends:
                        untried = claimed[index:]
                        _release(untried, claimed_at)
                        pending = untried + pending
                        break
                    channel = channels.get(delivery.channel) or channels.setdefault(
                        delivery.channel, get_channel(delivery.channel)
                    )
                    try:
                        delivery.provider_id = channel.send(delivery)[:64]
                    except ChannelError as error:
                        if not _record_failure(delivery, error):
                            retry.append(delivery)
                        continue
                    sent.append(delivery)
            finally:  # even if something unforeseen stops the batch, what left is recorded
                _record_sent(sent, claimed_at)
    finally:
        for channel in channels.values():
            channel.close()
    return retry


def _record_failure(delivery: Delivery, error: ChannelError) -> bool:
    # delivery.attempts was read after the claim incremented it: it counts this attempt.
    final = error.permanent or delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS
    now = timezone.now()
    # A retry's due time is recorded, so the recovery tells a delivery waiting for it from a lost one.
    delivery.not_before = None if final else now + timedelta(seconds=retry_delay(delivery.attempts))
    _held([delivery], delivery.updated_at).update(
        status=DeliveryStatus.FAILED if final else DeliveryStatus.QUEUED,
        not_before=delivery.not_before,
        error_code=error.code[:16],
        error_message=error.message[:300],
        updated_at=now,
    )
    if error.code == OPTED_OUT_CODE and delivery.channel == Delivery.Channel.SMS:
        sms_opt_out(phone=delivery.to)
    return final


def retry_delay(attempts: int) -> float:
    """Exponential backoff with full jitter, capped well below the broker's visibility timeout."""
    ceiling = min(
        settings.DELIVERY_RETRY_BASE_DELAY * 2 ** max(attempts - 1, 0), settings.DELIVERY_RETRY_MAX_DELAY
    )
    return ceiling / 2 + secrets.randbelow(1000) / 1000 * ceiling / 2


def deliveries_release_scheduled() -> list[int]:
    """Quiet hours are over for these deliveries: queue them."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.SCHEDULED, not_before__lte=now)
            .values_list("id", flat=True)[:10000]
        )
        Delivery.objects.filter(id__in=ids).update(status=DeliveryStatus.QUEUED, updated_at=now)
    return ids


def deliveries_recover_stuck() -> list[int]:
    """Finds deliveries whose task was lost or whose worker died, and makes them sendable again.

    A delivery left in SENDING may or may not have reached the provider: the channel is
    asked first, so that a message the provider already accepted is recorded, not re-sent.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.DELIVERY_STUCK_AFTER)
    # A queued delivery waiting for its retry is lost only once its due time is long past.
    queued = list(
        Delivery.objects.filter(status=DeliveryStatus.QUEUED, updated_at__lt=stale)
        .filter(Q(not_before__isnull=True) | Q(not_before__lt=stale))
        .values_list("id", flat=True)[:10000]
    )
    for delivery in Delivery.objects.filter(status=DeliveryStatus.SENDING, updated_at__lt=stale)[:1000]:
        channel = get_channel(delivery.channel)
        try:
            provider_id = channel.find_sent(delivery)
        except ChannelError:
            continue  # cannot tell now; look again next time
        finally:
            channel.close()
        if provider_id and Delivery.objects.filter(provider_id=provider_id).exclude(id=delivery.id).exists():
            # The provider found the member's latest message, which was another delivery's
            # (a later alert): this one was not sent. Re-sending risks a duplicate, not a loss.
            provider_id = None
        if provider_id:
            Delivery.objects.filter(id=delivery.id, status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.SENT, provider_id=provider_id, sent_at=now, updated_at=now
            )
        elif Delivery.objects.filter(id=delivery.id, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.QUEUED, updated_at=now
        ):
            queued.append(delivery.id)
    return queued


# Provider callbacks and opt-out ----------------------------------------------------------

_PROVIDER_STATUS = {
    "accepted": DeliveryStatus.SENT,
    "queued": DeliveryStatus.SENT,
    "sending": DeliveryStatus.SENT,
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.DELIVERED,
    "undelivered": DeliveryStatus.FAILED,
    "failed": DeliveryStatus.FAILED,
}
# A status only moves forward: a late "sent" never overwrites "delivered".
_RANK = {
    DeliveryStatus.SCHEDULED: 0,
    DeliveryStatus.QUEUED: 0,
    DeliveryStatus.SENDING: 1,
    DeliveryStatus.SENT: 2,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.FAILED: 3,
    DeliveryStatus.CANCELLED: 3,
}


def delivery_status_from_provider(
    *, delivery_id: int, provider_id: str, status: str, error_code: str = ""
) -> bool:
    new = _PROVIDER_STATUS.get(status)
    if new is None:
        return False
    earlier = [s for s, rank in _RANK.items() if rank < _RANK[new]]
    fields = {"status": new, "updated_at": timezone.now(), "provider_id": provider_id[:64]}
    if new == DeliveryStatus.FAILED:
        fields["error_code"] = error_code[:16]
    updated = (
        Delivery.objects.filter(id=delivery_id, channel=Delivery.Channel.SMS, status__in=earlier)
        .filter(provider_id__in=["", provider_id])
        .update(**fields)
    )
    if error_code == OPTED_OUT_CODE:
        delivery = Delivery.objects.filter(id=delivery_id).first()
        if delivery:
            sms_opt_out(phone=delivery.to)
    return bool(updated)


def sms_opt_out(*, phone: str) -> int:
    return User.objects.filter(phone=phone, sms_opted_out_at__isnull=True).update(
        sms_opted_out_at=timezone.now()
    )


def sms_opt_in(*, phone: str) -> int:
    return User.objects.filter(phone=phone).update(sms_opted_out_at=None)


def sms_preference_set(*, user, enabled: bool) -> None:
    user.sms_opted_out_at = None if enabled else timezone.now()
    user.save(update_fields=["sms_opted_out_at"])


def notification_settings_save(*, user, form_data: dict, preference: NotificationPreference) -> None:
    preference.user = user
    for field in NOTIFICATION_FIELDS:
        setattr(preference, field, form_data[field])
    preference.save()
    if form_data["sms_enabled"] == (user.sms_opted_out_at is not None):
        sms_preference_set(user=user, enabled=form_data["sms_enabled"])


def email_alerts_stop(*, user_id: int) -> None:
    preference, _created = NotificationPreference.objects.get_or_create(user_id=user_id)
    preference.information_email = preference.vigilance_email = preference.urgent_email = False
    preference.save()


# Phone verification --------------------------------------------------------------------

CODE_LIFETIME = timedelta(minutes=10)
MAX_CODES_PER_HOUR = 3
MAX_ATTEMPTS_PER_CODE = 5


def _hash_code(code: str, phone: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def phone_verification_start(*, user) -> None:
    """Sends a 6-digit code by SMS to the member's number, a few times an hour at most."""
    if not user.phone:
        raise ValidationError(_("Add your mobile number to your profile first."))
    since = timezone.now() - timedelta(hours=1)
    if PhoneVerification.objects.filter(user=user, created_at__gte=since).count() >= MAX_CODES_PER_HOUR:
        raise ValidationError(_("Too many codes were sent. Try again in an hour."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    phone = str(user.phone)
    PhoneVerification.objects.create(user=user, phone=phone, code_hash=_hash_code(code, phone))
    body = _("Your Vigilance code is %(code)s. It expires in 10 minutes.") % {"code": code}
    try:
        get_sms_backend().send(to=phone, body=body)
    except ChannelError as error:
        raise ValidationError(
            _("The code could not be sent to this number. Check it and try again.")
        ) from error


def phone_verification_confirm(*, user, code: str) -> None:
    phone = str(user.phone)
    verification = (
        PhoneVerification.objects.filter(
            user=user, phone=phone, used_at__isnull=True, created_at__gte=timezone.now() - CODE_LIFETIME
        )
        .order_by("-created_at")
        .first()
    )
    if verification is None:
        raise ValidationError(_("This code has expired. Ask for a new one."))
    # Count the attempt first, atomically, so that parallel guesses cannot exceed the limit.
    PhoneVerification.objects.filter(id=verification.id).update(attempts=F("attempts") + 1)
    verification.refresh_from_db(fields=["attempts"])
    if verification.attempts > MAX_ATTEMPTS_PER_CODE:
        raise ValidationError(_("Too many wrong codes. Ask for a new one."))
    if not hmac.compare_digest(verification.code_hash, _hash_code(code.strip(), phone)):
        raise ValidationError(_("This code is not right. Check the SMS and try again."))
    now = timezone.now()
    if not PhoneVerification.objects.filter(id=verification.id, used_at__isnull=True).update(used_at=now):
        raise ValidationError(_("This code has already been used."))
    user.phone_verified_at = now
    user.save(update_fields=["phone_verified_at"])


# Retention ------------------------------------------------------------------------------


def alerts_anonymise(*, now=None) -> int:
    """Alerts past the retention period keep only what the figures need: category, urgency,
    dates and communities. Their text, street, author and flags are erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ALERT_RETENTION_DAYS)
    old = Alert.objects.filter(created_at__lt=cutoff, anonymised_at__isnull=True)
    AlertFlag.objects.filter(alert__in=old).delete()
    return old.update(
        description="", street="", author=None, moderation_reason="", moderated_by=None, anonymised_at=now
    )


def deliveries_forget_addresses(*, now=None) -> int:
    """A delivery's phone number or email is kept 30 days, for support, then cleared."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DELIVERY_ADDRESS_RETENTION_DAYS)
    return Delivery.objects.filter(created_at__lt=cutoff).exclude(to="").update(to="", updated_at=now)
