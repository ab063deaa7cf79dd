"""What the alerts app holds about a person: the alerts they wrote or moderated, their flags,
notification preferences, phone verifications and the messages addressed to them."""

from accounts.privacy import PersonalData, register

from .services import alerts_anonymise, deliveries_forget_addresses

register(
    PersonalData(
        app="alerts",
        models=(
            "alerts.Alert",
            "alerts.AlertFlag",
            "alerts.Delivery",
            "alerts.NotificationPreference",
            "alerts.PhoneVerification",
        ),
        retention={
            "alerts_anonymised": alerts_anonymise,
            "delivery_addresses_cleared": deliveries_forget_addresses,
        },
    )
)
