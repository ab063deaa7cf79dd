"""Referents approve, reject and withdraw the alerts of their neighbourhoods; members flag
an alert they think unfounded. Each decision is written in the moderation log."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import NotFound
from neighbourhoods.models import ModerationEntry
from neighbourhoods.services import moderation_log

from .. import selectors, tasks
from ..models import Alert, AlertFlag, Delivery
from .publishing import deliveries_plan_and_queue

DeliveryStatus = Delivery.Status


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
    """Publishes a waiting alert: its deliveries are planned as `alert_publish` plans them."""
    alert = _alert_for_referent(referent, alert_id)
    if alert.status != Alert.Status.PENDING:
        raise ValidationError(_("This alert is no longer waiting for approval."))
    _moderate(alert, referent, Alert.Status.PUBLISHED)
    deliveries_plan_and_queue(alert=alert, purpose=Delivery.Purpose.ALERT)
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
    deliveries_plan_and_queue(alert=alert, purpose=Delivery.Purpose.WITHDRAWAL)
    return alert


def alert_flag(*, user, alert_id: int, reason: str = "") -> AlertFlag:
    """A member says once that an alert is unfounded; who may is `selectors.can_flag`."""
    alert = selectors.alert_visible_to(user, alert_id)
    if not selectors.can_flag(user, alert):
        if alert.author_id == user.id:
            raise ValidationError(_("You cannot flag your own alert."))
        raise ValidationError(_("Only a published report by a member can be flagged."), code="not_flaggable")
    try:
        with transaction.atomic():
            return AlertFlag.objects.create(alert=alert, user=user, reason=reason.strip()[:300])
    except IntegrityError:
        raise ValidationError(_("You have already flagged this alert.")) from None
