"""What the accounts app holds about a person: the account, its email addresses, its
two-factor devices and what it did in the admin."""

from allauth.account.models import EmailAddress
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

from .models import User
from .privacy import PersonalData, admin_log_forget, iso, register
from .services import accounts_delete_inactive, accounts_warn_inactive

ADMIN_ACTIONS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


def export(user: User) -> dict:
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": str(user.phone) if user.phone else "",
            "phone_verified_at": iso(user.phone_verified_at),
            "landline": str(user.landline) if user.landline else "",
            "landline_verified_at": iso(user.landline_verified_at),
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
        "admin_actions": _admin_actions(user),
    }


def _admin_actions(user: User) -> list[dict]:
    """What a staff account did in the admin: when, to which kind of record. Not the record's
    text nor the change message: those describe other people's rows."""
    entries = (
        LogEntry.objects.filter(user=user)
        .order_by("action_time", "id")
        .values_list("action_time", "content_type__app_label", "content_type__model", "action_flag")
    )
    return [
        {"at": iso(at), "record": f"{app_label}.{model}", "action": ADMIN_ACTIONS.get(flag, str(flag))}
        for at, app_label, model, flag in entries.iterator()
    ]


def erase(user: User) -> None:
    # The account row, its email addresses (and their confirmations), two-factor devices and
    # the admin entries it made go with it (cascade). Entries other staff made about the
    # account keep their date and author, not the person's name or address.
    admin_log_forget(User.objects.filter(pk=user.pk))
    admin_log_forget(EmailAddress.objects.filter(user=user))


register(
    PersonalData(
        app="accounts",
        models=(
            "accounts.User",
            "account.EmailAddress",
            "account.EmailConfirmation",
            "mfa.Authenticator",
            "admin.LogEntry",
            # The town hall's public contacts (publication director, DPO, host): published on
            # the legal pages as the law requires; no resident's data, nothing to export or erase.
            "accounts.SiteIdentity",
        ),
        export=export,
        erase=erase,
        retention={
            "accounts_deleted": accounts_delete_inactive,
            "accounts_warned": accounts_warn_inactive,
        },
        notes=(
            "An account unused for INACTIVE_ACCOUNT_MONTHS is warned by email, then deleted "
            "INACTIVE_ACCOUNT_GRACE_DAYS later if no one signed in.",
            "Deleting an account erases it at once, with its email addresses and two-factor devices.",
        ),
    )
)
