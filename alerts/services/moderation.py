"""Referents approve, reject and withdraw the members' reports of their neighbourhoods; the
police of a commune (and platform staff) withdraw its police warnings and notices; members flag
an alert they think unfounded. Each decision is written in the moderation log."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import NotFound
from accounts.roles import is_police_officer
from neighbourhoods.models import ModerationEntry
from neighbourhoods.selectors import official_commune_id
from neighbourhoods.services import moderation_log

from .. import selectors, tasks
from ..models import Alert, AlertCommunity, AlertFlag, Delivery
from .publishing import deliveries_plan_and_queue

DeliveryStatus = Delivery.Status


def _alert_for_referent(referent, alert_id: int) -> Alert:
    """The alert, locked, if the referent moderates it (`selectors.alerts_moderated_by`); any
    other alert, a police warning above all, does not exist for them."""
    alert = selectors.alerts_moderated_by(referent).select_for_update().filter(id=alert_id).first()
    if alert is None:
        raise NotFound
    return alert


def _alert_for_police(officer, alert_id: int) -> Alert:
    """A police warning or notice, locked, for the police of its commune and platform staff."""
    alert = (
        Alert.objects.select_for_update()
        .filter(id=alert_id, kind__in=[Alert.Kind.POLICE, Alert.Kind.NOTICE])
        .first()
    )
    if alert is None or not officer.is_authenticated:
        raise NotFound
    if not officer.is_superuser and not (
        is_police_officer(officer) and official_commune_id(officer) == alert.commune_id
    ):
        raise NotFound
    return alert


def _moderate(alert: Alert, actor, status: str, reason: str = "") -> None:
    alert.status = status
    alert.moderated_by = actor
    alert.moderated_at = timezone.now()
    alert.moderation_reason = reason.strip()
    if status == Alert.Status.PUBLISHED:
        alert.published_at = alert.moderated_at
        # The feed reads the publication time from the links (AlertCommunity).
        AlertCommunity.objects.filter(alert=alert).update(published_at=alert.published_at)
    alert.save()
    action = {
        Alert.Status.PUBLISHED: ModerationEntry.Action.ALERT_APPROVED,
        Alert.Status.REJECTED: ModerationEntry.Action.ALERT_REJECTED,
        Alert.Status.WITHDRAWN: ModerationEntry.Action.ALERT_WITHDRAWN,
    }[status]
    if alert.kind == Alert.Kind.NOTICE:
        return  # confidential: the members reading the log must not learn of it
    for community in alert.communities.all():
        moderation_log(
            community=community,
            actor=actor,
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
    alert = _alert_for_referent(referent, alert_id)  # first: an outsider learns nothing
    if not reason.strip():
        raise ValidationError(_("Give the author the reason for the rejection."))
    if alert.status != Alert.Status.PENDING:
        raise ValidationError(_("This alert is no longer waiting for approval."))
    _moderate(alert, referent, Alert.Status.REJECTED, reason)
    tasks.notify_moderation.delay_on_commit(alert.id, "rejected")
    return alert


@transaction.atomic
def alert_withdraw(*, referent, alert_id: int, reason: str = "") -> Alert:
    """A referent withdraws a member's report (see `_withdraw`)."""
    return _withdraw(_alert_for_referent(referent, alert_id), referent, reason)


@transaction.atomic
def police_alert_withdraw(*, officer, alert_id: int, reason: str = "") -> Alert:
    """The police of the commune, or platform staff, withdraw a police warning or notice."""
    return _withdraw(_alert_for_police(officer, alert_id), officer, reason)


def _withdraw(alert: Alert, actor, reason: str) -> Alert:
    """Withdraws a published alert: what was not sent yet is cancelled; who was told is told."""
    if alert.status != Alert.Status.PUBLISHED:
        raise ValidationError(_("Only a published alert can be withdrawn."))
    _moderate(alert, actor, Alert.Status.WITHDRAWN, reason)
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
