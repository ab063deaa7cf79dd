"""What the neighbourhoods app holds about a person: where they live (or the commune they
serve), their memberships and referent roles, their holiday absences, what they moderated,
and the moderation log entries that name them."""

from django.db.models import Count, Q

from accounts.privacy import PersonalData, admin_log_forget, iso, register

from .models import (
    Absence,
    Community,
    Membership,
    ModerationEntry,
    Neighbourhood,
    NeighbourhoodReferent,
    Official,
    Residence,
)
from .services import absences_purge

Action = ModerationEntry.Action
# Log entries whose `subject` is the full name of the member, or of the referent, concerned.
NAMES_A_MEMBER = (Action.APPROVED, Action.REJECTED, Action.REMOVED)
NAMES_A_REFERENT = (Action.REFERENT_APPOINTED, Action.REFERENT_REMOVED)


def export(user) -> dict:
    residence = Residence.objects.select_related("commune").filter(user=user).first()
    post = Official.objects.select_related("commune").filter(user=user).first()
    return {
        "commune_of_residence": residence.commune.name if residence else None,
        "commune_served": post.commune.name if post else None,
        "memberships": _memberships(user),
        "referent_for": [
            {"neighbourhood": r.neighbourhood.name, "commune": r.neighbourhood.commune.name}
            for r in NeighbourhoodReferent.objects.filter(user=user).select_related("neighbourhood__commune")
        ],
        "absences": _absences(user),
        "communities_created": list(
            Community.objects.filter(created_by=user).order_by("id").values_list("name", flat=True)
        ),
        "moderation_actions": _moderation_actions(user),
    }


def _memberships(user) -> list[dict]:
    memberships = Membership.objects.filter(user=user).select_related("community__neighbourhood__commune")
    return [
        {
            "community": m.community.name,
            "neighbourhood": m.community.neighbourhood.name,
            "commune": m.community.neighbourhood.commune.name,
            "street": m.street,
            "status": m.status,
            "requested_at": iso(m.requested_at),
            "decided_at": iso(m.decided_at),
            "message": m.decision_message,
        }
        for m in memberships
    ]


def _absences(user) -> list[dict]:
    """The absences they declared. Who they shared one with is counted, not named: those
    neighbours are other people. Absences others shared with them are the others' data."""
    absences = (
        Absence.objects.filter(user=user)
        .select_related("community")
        .annotate(neighbours=Count("shared_with"))
        .order_by("starts_on", "id")
    )
    return [
        {
            "community": a.community.name,
            "away_from": iso(a.starts_on),
            "back_on": iso(a.ends_on),
            "note": a.note,
            "referent_may_see_it": a.share_with_referent,
            "shared_with_neighbours": a.neighbours,
            "declared_at": iso(a.created_at),
        }
        for a in absences
    ]


def _moderation_actions(user) -> list[dict]:
    """What they did as a referent: the action, where and when. Not the entry's subject nor
    its reason: those are about the member or the alert concerned."""
    entries = (
        ModerationEntry.objects.filter(actor=user)
        .order_by("created_at", "id")
        .values_list("action", "community__name", "created_at")
    )
    return [{"action": action, "community": name, "at": iso(at)} for action, name, at in entries.iterator()]


def erase(user) -> None:
    # Residence, memberships, referent roles and absences go with the account (cascade), and so
    # does their place on the lists of neighbours who may see someone else's absence. Who
    # decided a request, created a community or appointed a referent loses the reference only.
    _forget_name_in_moderation_log(user)
    admin_log_forget(Membership.objects.filter(user=user))
    admin_log_forget(NeighbourhoodReferent.objects.filter(user=user))


def _forget_name_in_moderation_log(user) -> int:
    """Entries naming the person keep the action and the date, not the name.

    The log stores a name, not a link: an entry is taken to be about them when its subject is
    their full name and it was written where it could only have been about them (a request
    approval or removal in a community they belonged to; a referent change in a neighbourhood
    they are referent of or belonged to a community of). A name since changed is not found.
    """
    name = user.get_full_name()[:200]
    if not name:
        return 0
    communities = Membership.objects.filter(user=user).values("community")
    neighbourhoods = Neighbourhood.objects.filter(
        Q(communities__memberships__user=user) | Q(neighbourhoodreferent__user=user)
    ).values("id")
    return (
        ModerationEntry.objects.filter(subject=name)
        .filter(
            Q(action__in=NAMES_A_MEMBER, community__in=communities)
            | Q(action__in=NAMES_A_REFERENT, community__neighbourhood__in=neighbourhoods)
        )
        .update(subject="", reason="")
    )


register(
    PersonalData(
        app="neighbourhoods",
        models=(
            "neighbourhoods.Residence",
            "neighbourhoods.Official",
            "neighbourhoods.Neighbourhood",
            "neighbourhoods.NeighbourhoodReferent",
            "neighbourhoods.Community",
            "neighbourhoods.Membership",
            "neighbourhoods.Absence",
            "neighbourhoods.ModerationEntry",
        ),
        export=export,
        erase=erase,
        retention={"absences_deleted": absences_purge},
        notes=(
            "A holiday absence is deleted a week after the member is back.",
            "Memberships (with the street), referent roles and the commune of residence are kept "
            "while the account exists and erased with it.",
            "The moderation log, which members read, keeps what was decided and when; once an "
            "account is erased, the entries about it no longer give the person's name.",
        ),
    )
)
