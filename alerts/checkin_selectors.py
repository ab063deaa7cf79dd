"""Reads about welfare check-ins, each for the person viewing: only the resident, the
neighbours they named and the referents of their communities see any of it."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts.exceptions import NotFound
from neighbourhoods.models import Community, Membership
from neighbourhoods.selectors import narrowed_choices, search_members

from .checkin_models import CheckIn, CheckInRound

User = get_user_model()
APPROVED = Membership.Status.APPROVED


def communities_of(resident) -> QuerySet[Community]:
    return Community.objects.filter(memberships__user=resident, memberships__status=APPROVED).distinct()


def neighbour_choices(resident) -> QuerySet:
    """Whom a resident may name: the approved members of their communities, themselves aside."""
    return (
        User.objects.filter(
            memberships__community__in=communities_of(resident), memberships__status=APPROVED, is_active=True
        )
        .exclude(id=resident.id)
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


def neighbour_choices_listed(resident, *, query: str = "", keep_ids=()) -> tuple[QuerySet, bool]:
    """What the form lists of `neighbour_choices`: at most 50 whose name or street matches
    `query`, plus those already named or checked (a search never unchecks them); and whether
    more matched. A community of 5,000 is searched, not printed."""
    candidates = neighbour_choices(resident)
    matching = candidates
    if query.split():
        memberships = Membership.objects.filter(community__in=communities_of(resident), status=APPROVED)
        matching = candidates.filter(id__in=search_members(memberships, query).values("user_id"))
    return narrowed_choices(candidates, matching, keep_ids)


def referents_of(resident) -> QuerySet:
    """The referents of the neighbourhoods of the resident's communities."""
    return (
        User.objects.filter(
            referent_roles__neighbourhood__communities__in=communities_of(resident), is_active=True
        )
        .exclude(id=resident.id)
        .distinct()
    )


def is_referent_for(viewer, resident) -> bool:
    return viewer.is_authenticated and referents_of(resident).filter(id=viewer.id).exists()


def watchers_of(check_in: CheckIn) -> list:
    """Who is told of a missed check-in: the neighbours named and the resident's referents."""
    people = {user.id: user for user in check_in.neighbours.filter(is_active=True)}
    for user in referents_of(check_in.resident):
        people.setdefault(user.id, user)
    return [people[pk] for pk in sorted(people)]


def _watched_by(viewer) -> Q:
    """Check-ins the viewer watches: named by the resident, or referent of one of their communities."""
    referent_of = Q(
        check_in__resident__memberships__status=APPROVED,
        check_in__resident__memberships__community__neighbourhood__neighbourhoodreferent__user=viewer,
    )
    return Q(check_in__neighbours=viewer) | referent_of


def missed_rounds_visible_to(viewer) -> QuerySet[CheckInRound]:
    """Missed rounds (since checked, answered late or not) of the check-ins the viewer watches, newest first."""
    if not viewer.is_authenticated:
        return CheckInRound.objects.none()
    # A round answered late (after the neighbours were told) stays: its link was sent to them.
    ids = CheckInRound.objects.filter(_watched_by(viewer), missed_at__isnull=False).values("id")
    return (
        CheckInRound.objects.filter(id__in=ids)
        .select_related("check_in__resident", "checked_by")
        .order_by("-scheduled_for", "-id")
    )


def missed_round_for(viewer, round_id: int) -> CheckInRound:
    """A missed round the viewer watches; anyone else gets 404."""
    found = missed_rounds_visible_to(viewer).filter(id=round_id).first()
    if found is None:
        raise NotFound
    return found


def resident_for_referent(viewer, user_id: int):
    """A member of one of the viewer's communities, whom they may enrol; otherwise 404."""
    if not viewer.is_authenticated:
        raise NotFound
    resident = (
        User.objects.filter(
            id=user_id,
            is_active=True,
            memberships__status=APPROVED,
            memberships__community__neighbourhood__neighbourhoodreferent__user=viewer,
        )
        .distinct()
        .first()
    )
    if resident is None:
        raise NotFound
    return resident


def check_in_of(resident) -> CheckIn | None:
    return CheckIn.objects.filter(resident=resident).prefetch_related("neighbours").first()
