"""Emails about join requests, memberships and referents."""

from django.urls import reverse

from accounts.emails import send_templated_email

from .models import Membership, NeighbourhoodReferent

Status = Membership.Status
_RESIDENT_TEMPLATES = {
    Status.APPROVED: "membership-approved",
    Status.REJECTED: "membership-rejected",
    Status.REMOVED: "membership-removed",
}


def _membership(membership_id: int) -> Membership | None:
    return (
        Membership.objects.select_related("user", "community__neighbourhood__commune")
        .filter(id=membership_id)
        .first()
    )


def membership_recipients(*, membership_id: int, event: str) -> list[str]:
    """Who is told: the referents of a new request, the resident of a decision."""
    membership = _membership(membership_id)
    if membership is None:  # the account was deleted meanwhile: nobody to tell
        return []
    if event == "requested":
        return list(
            NeighbourhoodReferent.objects.filter(neighbourhood=membership.community.neighbourhood)
            .order_by("id")
            .values_list("user__email", flat=True)
        )
    return [membership.user.email] if event in _RESIDENT_TEMPLATES else []


def membership_email(*, membership_id: int, event: str, to: str) -> None:
    """One message each: referents do not see each other's address."""
    membership = _membership(membership_id)
    if membership is None:
        return
    context = {"membership": membership, "community": membership.community}
    if event == "requested":
        if membership.status != Status.PENDING:  # withdrawn or decided meanwhile: nothing to review
            return
        path = reverse("neighbourhoods:referent_community", args=[membership.community_id])
        send_templated_email(to=[to], template="membership-requested", context={**context, "path": path})
    elif event in _RESIDENT_TEMPLATES:
        send_templated_email(to=[to], template=_RESIDENT_TEMPLATES[event], context=context)


def referent_appointed_email(*, role_id: int) -> None:
    role = (
        NeighbourhoodReferent.objects.select_related("user", "neighbourhood__commune")
        .filter(id=role_id)
        .first()
    )
    if role is None:  # removed meanwhile
        return
    send_templated_email(
        to=[role.user.email],
        template="referent-appointed",
        context={"referent": role.user, "neighbourhood": role.neighbourhood},
    )
