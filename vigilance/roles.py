"""Who may act as what. Police and town-hall accounts belong to a group and serve one commune."""

MAYOR_OFFICE_GROUP = "Mairie"
POLICE_GROUP = "Police municipale"


def _in_group(user, name: str) -> bool:
    if not user.is_authenticated:
        return False
    return any(group.name == name for group in user.groups.all())


def is_mayor_office(user) -> bool:
    return _in_group(user, MAYOR_OFFICE_GROUP) and user.official_commune_id is not None


def is_police_officer(user) -> bool:
    return _in_group(user, POLICE_GROUP) and user.official_commune_id is not None
