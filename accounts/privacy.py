"""Personal data has an owner: each app declares what it holds about a person.

Every app that stores personal data has a `personal_data.py` module that calls `register()`
with a `PersonalData`: the models it answers for, what it gives in a person's download, what
it erases before their account row goes, and the jobs that keep nothing past its purpose. This
module (accounts/privacy.py) gathers the declarations (found the way the admin finds `admin.py` modules), so that the
account pages, the retention job and the coverage test see every app without importing any.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class PersonalData:
    app: str
    # "app_label.ModelName" of every model whose rows point to a person or hold their data.
    models: tuple[str, ...]
    # person -> {section name: JSON-ready data}; sections of all apps make the download.
    export: Callable[..., dict] | None = None
    # person -> None, run inside the erasure's transaction before the account row is deleted:
    # what must not survive them and would not go with the row (cascades do the rest).
    erase: Callable[..., None] | None = None
    # job name -> callable(now=...) -> count, run by `retention_apply`.
    retention: dict[str, Callable[..., int]] = field(default_factory=dict)
    # What the privacy notice may say about how long each kind of data is kept.
    notes: tuple[str, ...] = ()


_declarations: dict[str, PersonalData] = {}


def register(declaration: PersonalData) -> PersonalData:
    _declarations[declaration.app] = declaration
    return declaration


def declarations() -> list[PersonalData]:
    autodiscover_modules("personal_data")
    return list(_declarations.values())


def iso(value):
    return value.isoformat() if value else None


def user_export(*, user) -> dict:
    """Everything Vigilance holds about the person, for their GDPR download."""
    data = {}
    for declaration in declarations():
        if declaration.export:
            data.update(declaration.export(user))
    data["exported_at"] = iso(timezone.now())
    return data


@transaction.atomic
def user_erase(*, user) -> None:
    """Erases the account and its personal data: each app erases what the deletion of the
    account row would leave behind, then the row goes (with what cascades from it)."""
    for declaration in declarations():
        if declaration.erase:
            declaration.erase(user)
    user.delete()


def retention_apply(*, now=None) -> dict:
    """Everything that must not outlive its purpose, run by Celery beat and by
    `manage.py apply_retention`."""
    now = now or timezone.now()
    counts = {}
    for declaration in declarations():
        for name, job in declaration.retention.items():
            counts[name] = job(now=now)
    return counts
