"""Who may act as what: facts on the user row, so that reading a role costs no query.

Police and town-hall accounts have `official_role` (and act for one commune, see
neighbourhoods.Official); referents have `is_referent` (and act for some neighbourhoods, see
neighbourhoods.NeighbourhoodReferent). Renaming a group in the admin changes no role.
"""

from .models import User

OfficialRole = User.OfficialRole


def is_mayor_office(user) -> bool:
    return user.is_authenticated and user.official_role == OfficialRole.MAYOR_OFFICE


def is_police_officer(user) -> bool:
    return user.is_authenticated and user.official_role == OfficialRole.POLICE


def is_referent(user) -> bool:
    return user.is_authenticated and user.is_referent


def has_admin_rights(user) -> bool:
    """Whether the account may open the Django admin (platform staff, officials)."""
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def has_role(user) -> bool:
    """Whether the account acts for others and so sees other people's data."""
    return is_referent(user) or is_police_officer(user) or is_mayor_office(user)
