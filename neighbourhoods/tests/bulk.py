"""Large communities for the pagination tests, in a few queries (factories take ~0.1 s a user)."""

from django.utils import timezone

from accounts.models import User
from neighbourhoods.models import Membership


def bulk_members(
    community,
    count: int,
    *,
    prefix: str = "Membre",
    street: str = "rue des Lilas",
    status: str = Membership.Status.APPROVED,
    **fields,
):
    """`count` members of `community` (approved, or `status`), named "<prefix> 000", "<prefix> 001"... (last
    names sort as created); returns their memberships in that order."""
    tag = f"{prefix.lower()}-{community.id}"
    users = User.objects.bulk_create(
        User(
            email=f"{tag}-{number:03d}@example.org",
            first_name="Alex",
            last_name=f"{prefix} {number:03d}",
            charter_accepted_at=timezone.now(),
            **fields,
        )
        for number in range(count)
    )
    return Membership.objects.bulk_create(
        Membership(
            user=user,
            community=community,
            street=street,
            status=status,
            decided_at=timezone.now() if status == Membership.Status.APPROVED else None,
        )
        for user in users
    )
