"""Every model that holds personal data has an owner: some app's `personal_data.py` lists it.

A model holds personal data when it points to the user (ForeignKey, OneToOne, ManyToMany;
third-party models too), has an email or phone field, or has a field whose name says it
stores a person's name, phone, email or address. Adding such a model without declaring it
(what it exports, what erasure does to it, how long it is kept) fails here.
"""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from phonenumber_field.modelfields import PhoneNumberField

from accounts import privacy

PERSONAL_FIELD_NAME = re.compile(
    r"""^(
        (first|last|full|given|family|middle|maiden|delivery|recipient|contact|billing|buyer|customer)_name
        | .*(^|_)(phone|mobile|email|e_mail)(_|$).*
        | .*(^|_)address(_|$).*
        | (.+_)?street
        | to
    )$""",
    re.VERBOSE,
)


def personal_fields(model) -> list[str]:
    """The fields that make `model` hold personal data, with why."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = []
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations: the other model answers for them
        if field.is_relation and field.related_model is user_model:
            found.append(f"{field.name} (points to the user)")
        elif isinstance(field, models.EmailField | PhoneNumberField):
            found.append(f"{field.name} ({type(field).__name__})")
        elif PERSONAL_FIELD_NAME.match(field.name):
            found.append(f"{field.name} (its name)")
    return found


def uncovered_models(declarations) -> dict[str, list[str]]:
    """Models holding personal data that no declaration lists, with the fields that say so.
    Through tables Django creates for a ManyToMany belong to the model that declares it."""
    declared = {label.lower() for declaration in declarations for label in declaration.models}
    return {
        model._meta.label: fields
        for model in apps.get_models()
        if (fields := personal_fields(model)) and model._meta.label_lower not in declared
    }


def test_every_model_holding_personal_data_is_declared_by_an_app():
    assert uncovered_models(privacy.declarations()) == {}


def test_a_model_left_out_of_its_declaration_is_reported():
    declarations = privacy.declarations()
    shop = next(d for d in declarations if d.app == "shop")
    shorter = [d for d in declarations if d is not shop] + [
        privacy.PersonalData(app="shop", models=tuple(m for m in shop.models if m != "shop.Order"))
    ]

    uncovered = uncovered_models(shorter)

    assert list(uncovered) == ["shop.Order"]
    assert "buyer (points to the user)" in uncovered["shop.Order"]
    assert "delivery_address (its name)" in uncovered["shop.Order"]


def test_an_app_without_declaration_has_its_models_reported():
    declarations = [d for d in privacy.declarations() if d.app != "alerts"]

    assert set(uncovered_models(declarations)) == {
        "alerts.Alert",
        "alerts.AlertFlag",
        "alerts.Delivery",
        "alerts.NotificationPreference",
        "alerts.PhoneVerification",
    }


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("alerts.Delivery", "to (its name)"),
        ("alerts.Delivery", "recipient (points to the user)"),
        ("alerts.PhoneVerification", "phone (its name)"),
        ("accounts.User", "email (EmailField)"),
        ("accounts.User", "phone (PhoneNumberField)"),
        ("accounts.User", "first_name (its name)"),
        ("neighbourhoods.Membership", "street (its name)"),
        ("neighbourhoods.Absence", "shared_with (points to the user)"),
        ("shop.Order", "delivery_name (its name)"),
        ("shop.Order", "billing_address (its name)"),
        ("account.EmailAddress", "user (points to the user)"),
        ("account.EmailConfirmation", "email_address (its name)"),
        ("admin.LogEntry", "user (points to the user)"),
    ],
)
def test_personal_fields_are_recognised(label, reason):
    assert reason in personal_fields(apps.get_model(label))


@pytest.mark.parametrize(
    "label",
    ["neighbourhoods.Commune", "shop.Product", "shop.OrderLine", "auth.Group", "shop.SignageProgramme"],
)
def test_models_without_personal_data_are_not_reported(label):
    assert personal_fields(apps.get_model(label)) == []


def test_every_declared_model_exists():
    for declaration in privacy.declarations():
        for label in declaration.models:
            apps.get_model(label)  # LookupError names a model renamed or removed


def test_each_model_has_one_owner():
    labels = [label.lower() for declaration in privacy.declarations() for label in declaration.models]

    assert sorted({label for label in labels if labels.count(label) > 1}) == []


def test_every_app_of_the_project_declares_what_it_holds():
    assert {d.app for d in privacy.declarations()} >= {"accounts", "neighbourhoods", "alerts", "shop"}


def test_retention_jobs_have_distinct_names():
    names = [name for declaration in privacy.declarations() for name in declaration.retention]

    assert len(names) == len(set(names))


@pytest.mark.django_db
def test_the_sections_of_the_download_do_not_overwrite_each_other(resident):
    sections = [list(d.export(resident)) for d in privacy.declarations() if d.export]

    every = [name for names in sections for name in names]
    assert len(every) == len(set(every))
