"""Writes for communes, communities and memberships.

Every function here checks that the acting user may do what they ask: views only parse
input and call one of these. A refusal the user can correct raises ValidationError with a
translated message; acting on something out of one's reach raises NotFound, so that the
existence of another community's data is never revealed. Platform staff act through the same
functions as referents (selectors.can_moderate_community), from the admin.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.exceptions import NotFound

from . import selectors
from .models import (
    Absence,
    Commune,
    Community,
    Membership,
    ModerationEntry,
    Neighbourhood,
    NeighbourhoodReferent,
    Residence,
)
from .tasks import notify_membership, send_referent_email
from .text import has_house_number

Status = Membership.Status
Action = ModerationEntry.Action


def moderation_log(
    *, community: Community, actor, action: str, subject: str = "", reason: str = ""
) -> ModerationEntry:
    """Records a moderation action in the community's log, which its members can read."""
    return ModerationEntry.objects.create(
        community=community, actor=actor, action=action, subject=subject[:200], reason=reason.strip()[:2000]
    )


def commune_declare(*, user, commune: Commune) -> None:
    """Records the commune a resident says they live in."""
    Residence.objects.update_or_create(user=user, defaults={"commune": commune})


def _clean_street(street: str) -> str:
    street = " ".join(street.split())
    if not street:
        raise ValidationError(_("Please give the name of your street."), code="street_required")
    if len(street) > 150:
        raise ValidationError(_("The street name is too long."), code="street_too_long")
    if has_house_number(street):
        raise ValidationError(
            _("Give the street name only, without the house number (e.g. “rue des Lilas”)."),
            code="house_number",
        )
    return street


def membership_request(*, user, community: Community, street: str) -> Membership:
    """A resident asks to join a community of the commune they declared."""
    street = _clean_street(street)
    home = selectors.residence_commune(user)
    if home is None:
        raise ValidationError(_("First tell us which commune you live in."), code="no_commune_declared")
    if community.neighbourhood.commune_id != home.id:
        raise ValidationError(
            _(
                "This community belongs to %(other)s, but you declared that you live in "
                "%(mine)s. Change your commune first if you have moved."
            )
            % {"other": community.neighbourhood.commune.name, "mine": home.name},
            code="wrong_commune",
        )
    active = Membership.objects.filter(user=user, community=community, status__in=Membership.ACTIVE_STATUSES)
    if active.exists():
        raise ValidationError(_("You have already asked to join this community."), code="duplicate_request")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, community=community, street=street)
    except IntegrityError:
        # Two simultaneous requests: the unique constraint let only one through.
        raise ValidationError(
            _("You have already asked to join this community."), code="duplicate_request"
        ) from None
    notify_membership.delay_on_commit(membership.id, "requested")
    return membership


def _lock_membership_for_moderator(actor, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .select_related("community__neighbourhood")
        .filter(id=membership_id)
        .first()
    )
    if membership is None or not selectors.can_moderate_community(actor, membership.community.neighbourhood):
        raise NotFound
    return membership


def _ensure_pending(membership: Membership) -> None:
    if membership.status == Status.PENDING:
        return
    messages = {
        Status.APPROVED: _("This request has already been approved."),
        Status.REJECTED: _("This request has already been rejected."),
        Status.WITHDRAWN: _("This request was withdrawn by the resident."),
    }
    raise ValidationError(
        messages.get(membership.status, _("This request is no longer pending.")),
        code="not_pending",
    )


def _record_decision(membership: Membership, *, status: str, actor, message: str) -> Membership:
    """Records who decided what, tells the members in their log and the resident by email."""
    membership.status, membership.decided_at = status, timezone.now()
    membership.decided_by, membership.decision_message = actor, message
    membership.save(update_fields=["status", "decided_at", "decided_by", "decision_message"])
    # A rejected resident's name and the reason are kept for the referents; the log shows them
    # to moderators only (selectors.moderation_log_for): that person never was a member.
    name = membership.user.get_full_name()
    reason = message if status in (Status.REMOVED, Status.REJECTED) else ""
    action = Action(status)  # approved, rejected, removed: the log's action has the decision's name
    moderation_log(community=membership.community, actor=actor, action=action, subject=name, reason=reason)
    notify_membership.delay_on_commit(membership.id, status)
    return membership


@transaction.atomic
def membership_decide(*, referent, membership_id: int, approve: bool, message: str = "") -> Membership:
    """The referent of the community's neighbourhood (or platform staff) approves or rejects a
    pending request."""
    membership = _lock_membership_for_moderator(referent, membership_id)
    _ensure_pending(membership)
    status = Status.APPROVED if approve else Status.REJECTED
    return _record_decision(membership, status=status, actor=referent, message=message.strip())


@transaction.atomic
def membership_remove(*, referent, membership_id: int, reason: str) -> Membership:
    """The referent (or platform staff) removes an approved member, giving the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Please give the reason for the removal."), code="reason_required")
    membership = _lock_membership_for_moderator(referent, membership_id)
    if membership.status != Status.APPROVED:
        raise ValidationError(_("This person is not a member of the community."), code="not_member")
    if membership.user_id == referent.id:
        raise ValidationError(_("You cannot remove yourself; leave the community instead."), code="self")
    return _record_decision(membership, status=Status.REMOVED, actor=referent, message=reason)


@transaction.atomic
def membership_withdraw(*, user, membership_id: int) -> Membership:
    """A resident withdraws their pending request."""
    membership = Membership.objects.select_for_update().filter(id=membership_id, user=user).first()
    if membership is None:
        raise NotFound
    _ensure_pending(membership)
    membership.status = Status.WITHDRAWN
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_at"])
    return membership


@transaction.atomic
def membership_leave(*, user, membership_id: int) -> Membership:
    """A member leaves a community; the directory stops showing them at once."""
    membership = Membership.objects.select_for_update().filter(id=membership_id, user=user).first()
    if membership is None or membership.status != Status.APPROVED:
        raise NotFound
    membership.status = Status.LEFT
    membership.decided_at = timezone.now()
    membership.save(update_fields=["status", "decided_at"])
    return membership


def _community_name(neighbourhood: Neighbourhood, name: str, *, community_id: int | None = None) -> str:
    """The name, tidied; refused when empty or when another community of the neighbourhood has
    it, whatever the case and accents (compared in Python: SQLite's iexact folds ASCII letters
    only and took "Écoles" and "écoles" for two different names)."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Please give the community a name."), code="name_required")
    others = Community.objects.filter(neighbourhood=neighbourhood).exclude(id=community_id)
    if name.casefold() in {other.casefold() for other in others.values_list("name", flat=True)}:
        raise ValidationError(
            _("A community with this name already exists in this neighbourhood."), code="duplicate_name"
        )
    return name


def _save_community(community: Community, **save_options) -> Community:
    try:
        with transaction.atomic():
            community.save(**save_options)
    except IntegrityError:
        # Named the same meanwhile by someone else: the unique constraint let only one through.
        raise ValidationError(
            _("A community with this name already exists in this neighbourhood."), code="duplicate_name"
        ) from None
    return community


def community_create(
    *, referent, neighbourhood: Neighbourhood, name: str, description: str = "", rules: str = ""
) -> Community:
    """A referent (or platform staff) creates a community in one of their own neighbourhoods."""
    if not selectors.can_moderate_community(referent, neighbourhood):
        raise ValidationError(
            _("You can only create communities in the neighbourhoods you are referent for."),
            code="not_referent",
        )
    community = Community(
        neighbourhood=neighbourhood,
        name=_community_name(neighbourhood, name),
        description=description.strip(),
        rules=rules.strip(),
        created_by=referent,
    )
    return _save_community(community)


def community_update(
    *,
    referent,
    community: Community,
    description: str,
    rules: str,
    alerts_need_approval: bool | None = None,
    name: str | None = None,
) -> Community:
    """The referent (or platform staff) edits a community; its members see it in their log."""
    if not selectors.can_moderate_community(referent, community.neighbourhood):
        raise NotFound
    fields = ["description", "rules"]
    if name is not None:
        community.name = _community_name(community.neighbourhood, name, community_id=community.id)
        fields.append("name")
    community.description = description.strip()
    community.rules = rules.strip()
    if alerts_need_approval is not None:
        community.alerts_need_approval = alerts_need_approval
        fields.append("alerts_need_approval")
    _save_community(community, update_fields=fields)
    moderation_log(community=community, actor=referent, action=Action.COMMUNITY_EDITED)
    return community


# Referents ----------------------------------------------------------------------------


def _log_referent_change(neighbourhood: Neighbourhood, *, actor, user, action: str) -> None:
    """Members see in each community's log who their referent is."""
    for community in neighbourhood.communities.all():
        moderation_log(community=community, actor=actor, action=action, subject=user.get_full_name())


def _set_referent_flag(user) -> None:
    """`User.is_referent` follows the user's referent rows (roles read it without a query)."""
    user.is_referent = NeighbourhoodReferent.objects.filter(user=user).exists()
    type(user).objects.filter(id=user.id).update(is_referent=user.is_referent)


def _appoint(*, appointed_by, neighbourhood: Neighbourhood, user) -> NeighbourhoodReferent:
    if not user.is_active:
        raise ValidationError(_("This account is closed."), code="inactive")
    try:
        with transaction.atomic():
            role = NeighbourhoodReferent.objects.create(
                neighbourhood=neighbourhood, user=user, appointed_by=appointed_by
            )
    except IntegrityError:
        raise ValidationError(
            _("This person is already referent for this neighbourhood."), code="already_referent"
        ) from None
    _set_referent_flag(user)
    _log_referent_change(neighbourhood, actor=appointed_by, user=user, action=Action.REFERENT_APPOINTED)
    send_referent_email.delay_on_commit(role.id)
    return role


def _remove(role: NeighbourhoodReferent, *, actor) -> None:
    role.delete()
    _set_referent_flag(role.user)
    _log_referent_change(role.neighbourhood, actor=actor, user=role.user, action=Action.REFERENT_REMOVED)


@transaction.atomic
def referent_appoint(*, appointed_by, neighbourhood: Neighbourhood, user) -> NeighbourhoodReferent:
    """Platform staff, or the town hall of the neighbourhood's commune, name a referent; the
    members are told in their moderation log and the new referent by email."""
    if not selectors.can_appoint_referents(appointed_by, neighbourhood):
        raise NotFound
    return _appoint(appointed_by=appointed_by, neighbourhood=neighbourhood, user=user)


@transaction.atomic
def referent_remove(*, removed_by, role_id: int) -> None:
    """Platform staff, or the town hall of the neighbourhood's commune, end a referent's role."""
    role = (
        NeighbourhoodReferent.objects.select_for_update()
        .select_related("neighbourhood", "user")
        .filter(id=role_id)
        .first()
    )
    if role is None or not selectors.can_appoint_referents(removed_by, role.neighbourhood):
        raise NotFound
    _remove(role, actor=removed_by)


@transaction.atomic
def referent_hand_over(*, referent, neighbourhood: Neighbourhood, successor) -> NeighbourhoodReferent:
    """A referent hands their role for a neighbourhood to an approved member there."""
    role = (
        NeighbourhoodReferent.objects.select_for_update()
        .select_related("user", "neighbourhood")
        .filter(neighbourhood=neighbourhood, user=referent)
        .first()
    )
    if role is None:
        raise NotFound
    if successor.id == referent.id:
        raise ValidationError(_("Choose another member."), code="self")
    if not selectors.is_approved_member_of_neighbourhood(successor, neighbourhood):
        raise ValidationError(
            _("The new referent must be a member of a community of this neighbourhood."),
            code="not_member",
        )
    new_role = NeighbourhoodReferent.objects.filter(neighbourhood=neighbourhood, user=successor).first()
    if new_role is None:
        new_role = _appoint(appointed_by=referent, neighbourhood=neighbourhood, user=successor)
    _remove(role, actor=referent)
    return new_role


# Holiday watch ------------------------------------------------------------------------

ABSENCE_KEPT_AFTER_END = timedelta(days=7)


@transaction.atomic
def absence_declare(
    *,
    user,
    community_id: int,
    starts_on,
    ends_on,
    note: str = "",
    share_with_referent: bool = True,
    neighbour_ids=(),
) -> Absence:
    """A member says they will be away, and chooses who in their community may know."""
    community = selectors.community_for_member(user, community_id)
    today = timezone.localdate()
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The return date is before the departure date.")})
    if ends_on < today:
        raise ValidationError({"ends_on": _("This absence is already over.")})
    if ends_on > today + timedelta(days=365):
        raise ValidationError({"ends_on": _("Declare absences of less than a year.")})
    neighbour_ids = {int(i) for i in neighbour_ids}
    neighbours = list(
        selectors.members_visible_to(user, community).filter(user_id__in=neighbour_ids).exclude(user=user)
    )
    if len(neighbours) != len(neighbour_ids - {user.id}):
        raise ValidationError({"neighbour_ids": _("You can only share with members of this community.")})
    if not share_with_referent and not neighbours:
        raise ValidationError(_("Choose who may see your absence: your referent or some neighbours."))
    absence = Absence.objects.create(
        user=user,
        community=community,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip()[:300],
        share_with_referent=share_with_referent,
    )
    absence.shared_with.set([m.user_id for m in neighbours])
    return absence


def absence_delete(*, user, absence_id: int) -> None:
    deleted, _rows = Absence.objects.filter(id=absence_id, user=user).delete()
    if not deleted:
        raise NotFound


def absences_purge(*, now=None) -> int:
    """Absences are deleted a week after they end."""
    today = timezone.localdate(now or timezone.now())
    deleted, _rows = Absence.objects.filter(ends_on__lt=today - ABSENCE_KEPT_AFTER_END).delete()
    return deleted
