"""Emails about moderation: an alert waits for the referents, or was rejected."""

from django.urls import reverse

from accounts.emails import send_templated_email
from neighbourhoods.models import NeighbourhoodReferent

from .models import Alert


def moderation_recipients(*, alert_id: int, event: str) -> list[str]:
    """The referents of a waiting alert's communities, or the author of a rejected one."""
    alert = Alert.objects.select_related("author").filter(id=alert_id).first()
    if alert is None:
        return []
    if event == "pending":
        return list(
            NeighbourhoodReferent.objects.filter(neighbourhood__communities__in=alert.communities.all())
            .values_list("user__email", flat=True)
            .distinct()
            .order_by("user__email")
        )
    if event == "rejected" and alert.author:
        return [alert.author.email]
    return []


def moderation_email(*, alert_id: int, event: str, to: str) -> None:
    """One message each: referents do not see each other's address."""
    alert = Alert.objects.select_related("author").filter(id=alert_id).first()
    if alert is None:
        return
    if event == "pending":
        if alert.status != Alert.Status.PENDING:  # moderated meanwhile
            return
        context = {"alert": alert, "path": reverse("alerts:moderation")}
        send_templated_email(to=[to], template="alert-pending", context=context)
    elif event == "rejected":
        context = {"alert": alert, "path": reverse("alerts:detail", args=[alert.id])}
        send_templated_email(to=[to], template="alert-rejected", context=context)
