"""What happens when an alert is published, top to bottom.

A member's report (`alert_publish`) or a police warning (`police_alert_publish`) is checked
(`_clean_report`), then the alert and one delivery row per (recipient, channel) are committed
together (`deliveries_plan_and_queue`), and the fan-out task is queued on commit: it splits
the deliveries into batches that workers send (`alerts.services.sending`). A report that
needs a referent's approval is only announced to the referents; approving it
(`alerts.services.moderation.alert_approve`) plans its deliveries the same way.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_police_officer
from neighbourhoods.models import Community, ModerationEntry, Neighbourhood
from neighbourhoods.selectors import community_for_member, is_referent_of, official_commune_id
from neighbourhoods.services import moderation_log
from neighbourhoods.text import has_house_number

from .. import messages, selectors, tasks
from ..models import Alert, Delivery

DeliveryStatus = Delivery.Status
MAX_DESCRIPTION = 2000


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
    if street and has_house_number(street):
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
    alert.communities.add(community, through_defaults={"published_at": alert.published_at})
    if needs_approval:
        tasks.notify_moderation.delay_on_commit(alert.id, "pending")
    else:
        deliveries_plan_and_queue(alert=alert, purpose=Delivery.Purpose.ALERT)
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
    sms_read: str | None = None,
) -> Alert:
    """Municipal police warn members (kind police) or confidentially tell referents (notice).

    `sms_read` is the SMS the officer read on the confirmation step (`police_sms_preview`): if
    the SMS of the alert as published differs (the form was edited since, or another alert
    took the number its link was to have), nothing is kept and they read it again."""
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
    if not messages.police_message_fits(description, kind=kind):
        raise ValidationError(
            messages.police_message_too_long(description, kind=kind), code="too_long_for_sms"
        )
    alert = Alert.objects.create(
        kind=kind,
        author=officer,
        commune_id=commune_id,
        status=Alert.Status.PUBLISHED,
        published_at=timezone.now(),
        **fields,
    )
    alert.communities.set(communities, through_defaults={"published_at": alert.published_at})
    if kind == Alert.Kind.POLICE:
        for community in communities:
            moderation_log(
                community=community,
                actor=officer,
                action=ModerationEntry.Action.POLICE_WARNING,
                subject=alert.get_category_display(),
            )
    if sms_read is not None and _sms_of(alert) != sms_read:
        # Raised inside the transaction: the alert, its deliveries and its fan-out go with it.
        raise ValidationError(
            _("The SMS has changed since you read it: read it again, then confirm."), code="sms_changed"
        )
    deliveries_plan_and_queue(alert=alert, purpose=Delivery.Purpose.ALERT)
    return alert


def police_sms_preview(
    *, officer, kind: str, category: str, urgency: str, description: str, street: str
) -> str:
    """The SMS a police warning will send, as the sender renders it, numbered as the alert will
    be if nobody publishes first: shown on the confirmation step before anything is saved."""
    fields = {
        "kind": kind,
        "category": category,
        "urgency": urgency,
        "description": description,
        "street": street,
    }
    alert = Alert(
        id=selectors.next_alert_id(), author=officer, commune_id=official_commune_id(officer), **fields
    )
    return _sms_of(alert)


def _sms_of(alert: Alert) -> str:
    return messages.sms_text(
        Delivery(alert=alert, channel=Delivery.Channel.SMS, purpose=Delivery.Purpose.ALERT)
    )


def deliveries_plan_and_queue(*, alert: Alert, purpose: str) -> int:
    """Creates the deliveries of an alert (or of its withdrawal notice) in bulk, and queues the
    fan-out for after the commit. The unique constraint on (alert, recipient, channel, purpose)
    makes planning twice harmless. Returns how many rows were planned."""
    plan = _alert_deliveries if purpose == Delivery.Purpose.ALERT else _withdrawal_deliveries
    rows = plan(alert)
    Delivery.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    tasks.fan_out_on_commit(alert.id, purpose)
    return len(rows)


def _alert_deliveries(alert: Alert) -> list[Delivery]:
    """One delivery per recipient and channel they chose for this urgency, and a call to each
    verified landline for an urgent alert (one per landline); those in their quiet hours are
    scheduled for when those end, except for an urgent alert."""
    now = timezone.now()
    rows = []
    called: set[str] = set()
    for user in selectors.alert_recipients(alert).iterator(chunk_size=2000):
        not_before = None
        if alert.urgency != Alert.Urgency.URGENT:
            not_before = selectors.quiet_hours_end(selectors.preference_of(user), now)
        for channel in selectors.channels_for(user, alert.urgency, kind=alert.kind, called=called):
            rows.append(
                Delivery(
                    alert=alert,
                    recipient=user,
                    channel=channel,
                    purpose=Delivery.Purpose.ALERT,
                    to=_address(user, channel),
                    status=DeliveryStatus.SCHEDULED if not_before else DeliveryStatus.QUEUED,
                    not_before=not_before,
                )
            )
    return rows


def _address(user, channel: str) -> str:
    if channel == Delivery.Channel.SMS:
        return str(user.phone)
    if channel == Delivery.Channel.VOICE:
        return str(user.landline)
    return user.email


def _withdrawal_deliveries(alert: Alert) -> list[Delivery]:
    """A withdrawal goes to those who were told, on the channel they were told on, except by
    call: landlines are called for urgent alerts only, and a withdrawal notice is not one."""
    told = alert.deliveries.filter(
        purpose=Delivery.Purpose.ALERT,
        status__in=[DeliveryStatus.SENDING, DeliveryStatus.SENT, DeliveryStatus.DELIVERED],
        recipient__isnull=False,
    ).select_related("recipient")
    return [
        Delivery(
            alert=alert,
            recipient_id=d.recipient_id,
            channel=d.channel,
            purpose=Delivery.Purpose.WITHDRAWAL,
            to=d.to,
        )
        for d in told
        # someone who answered STOP since gets no more SMS, not even this one
        if d.channel != Delivery.Channel.VOICE
        and (d.channel != Delivery.Channel.SMS or d.recipient.can_receive_sms)
    ]
