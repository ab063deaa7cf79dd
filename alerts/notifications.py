"""Emails about moderation: an alert waits for the referent, or was rejected."""

from django.urls import reverse

from neighbourhoods.models import NeighbourhoodReferent
from vigilance.emails import send_templated_email

from .models import Alert


def moderation_notify(*, alert_id: int, event: str) -> None:
    alert = Alert.objects.select_related("author").filter(id=alert_id).first()
    if alert is None:
        return
    if event == "pending":
        emails = list(
            NeighbourhoodReferent.objects.filter(neighbourhood__communities__in=alert.communities.all())
            .values_list("user__email", flat=True)
            .distinct()
        )
        if alert.status != Alert.Status.PENDING:
            return
        for email in emails:  # one message each: referents do not see each other's address
            send_templated_email(
                to=[email],
                template="alert-pending",
                context={"alert": alert, "path": reverse("alerts:moderation")},
            )
    elif event == "rejected" and alert.author:
        send_templated_email(
            to=[alert.author.email],
            template="alert-rejected",
            context={"alert": alert, "path": reverse("alerts:detail", args=[alert.id])},
        )
