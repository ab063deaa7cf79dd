"""Emails about join requests and memberships."""

from django.urls import reverse

from vigilance.emails import send_templated_email

from .models import Membership, NeighbourhoodReferent

Status = Membership.Status
_RESIDENT_TEMPLATES = {
    Status.APPROVED: "membership-approved",
    Status.REJECTED: "membership-rejected",
    Status.REMOVED: "membership-removed",
}


def membership_notify(*, membership_id: int, event: str) -> None:
    membership = (
        Membership.objects.select_related("user", "community__neighbourhood__commune")
        .filter(id=membership_id)
        .first()
    )
    if membership is None:  # the account was deleted meanwhile: nobody to tell
        return
    if event == "requested":
        if membership.status == Status.PENDING:  # withdrawn meanwhile: nothing to review
            _notify_referents(membership)
    elif event in _RESIDENT_TEMPLATES:
        send_templated_email(
            to=[membership.user.email],
            template=_RESIDENT_TEMPLATES[event],
            context={"membership": membership, "community": membership.community},
        )


def _notify_referents(membership: Membership) -> None:
    emails = list(
        NeighbourhoodReferent.objects.filter(neighbourhood=membership.community.neighbourhood).values_list(
            "user__email", flat=True
        )
    )
    context = {
        "membership": membership,
        "community": membership.community,
        "path": reverse("neighbourhoods:referent_community", args=[membership.community_id]),
    }
    for email in emails:  # one message each: referents do not see each other's address
        send_templated_email(to=[email], template="membership-requested", context=context)
