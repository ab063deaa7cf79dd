"""What the accounts app holds about a person: the account, its email addresses, its
two-factor devices and what it did in the admin."""

from .models import User
from .privacy import PersonalData, iso, register
from .services import accounts_delete_inactive, accounts_warn_inactive


def export(user: User) -> dict:
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": str(user.phone) if user.phone else "",
            "phone_verified_at": iso(user.phone_verified_at),
            "sms_turned_off_at": iso(user.sms_opted_out_at),
            "show_phone": user.show_phone,
            "show_email": user.show_email,
            "acts_for": user.get_official_role_display() if user.official_role else None,
            "charter_accepted_at": iso(user.charter_accepted_at),
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "warned_of_deletion_for_inactivity_at": iso(user.inactivity_warned_at),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in user.emailaddress_set.all()
        ],
        # The kinds of second factor only: their secrets are not the person's to carry around.
        "two_factor": [
            {"type": device.type, "created_at": iso(device.created_at)}
            for device in user.authenticator_set.all()
        ],
    }


register(
    PersonalData(
        app="accounts",
        models=("accounts.User", "account.EmailAddress", "mfa.Authenticator", "admin.LogEntry"),
        export=export,
        # The account row, its email addresses, two-factor devices and admin log entries go
        # together (cascade): nothing else to erase here.
        retention={
            "accounts_deleted": accounts_delete_inactive,
            "accounts_warned": accounts_warn_inactive,
        },
    )
)
