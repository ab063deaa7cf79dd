"""Personal data has an owner: each app declares what it holds about a person.

Every app that stores personal data has a `personal_data.py` module that calls `register()`
with a `PersonalData`: the models it answers for, what it gives in a person's download, what
it erases before their account row goes, and the jobs that keep nothing past its purpose. This
module gathers the declarations (found the way the admin finds `admin.py` modules), so that
the account pages, the retention job and the coverage test
(accounts/tests/test_personal_data_coverage.py) see every app without importing any.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class PersonalData:
    app: str
    # "app_label.ModelName" of every model whose rows point to a person or hold their data:
    # the app answers for what each of them holds (the coverage test checks none is forgotten).
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
    """A date, time or datetime as JSON text (None stays None)."""
    return value.isoformat() if value is not None else None


def admin_log_forget(rows) -> int:
    """The admin's history keeps the text of each row it recorded a change to (`object_repr`:
    the person's name for an account or a membership, the address for a delivery). Blanks it
    for these rows; the entries themselves (who changed what, when) stay."""
    ids = rows.annotate(id_as_text=Cast("pk", TextField())).values("id_as_text")
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(rows.model), object_id__in=ids
    ).update(object_repr="")


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
