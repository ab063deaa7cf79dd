"""What the neighbourhoods app holds about a person: where they live, their memberships and
referent roles, their holiday absences, and the moderation log entries about them."""

from accounts.privacy import PersonalData, iso, register

from .models import Membership, NeighbourhoodReferent, Residence
from .services import absences_purge


def export(user) -> dict:
    residence = Residence.objects.select_related("commune").filter(user=user).first()
    memberships = Membership.objects.filter(user=user).select_related("community__neighbourhood__commune")
    roles = NeighbourhoodReferent.objects.filter(user=user).select_related("neighbourhood__commune")
    return {
        "commune_of_residence": residence.commune.name if residence else None,
        "memberships": [
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
        ],
        "referent_for": [
            {"neighbourhood": r.neighbourhood.name, "commune": r.neighbourhood.commune.name} for r in roles
        ],
    }


register(
    PersonalData(
        app="neighbourhoods",
        models=(
            "neighbourhoods.Residence",
            "neighbourhoods.Official",
            "neighbourhoods.NeighbourhoodReferent",
            "neighbourhoods.Community",
            "neighbourhoods.Membership",
            "neighbourhoods.Absence",
            "neighbourhoods.ModerationEntry",
        ),
        export=export,
        retention={"absences_deleted": absences_purge},
    )
)
