"""The SIRET a town hall gives when it orders: 14 ASCII digits with a valid check digit.

python-stdnum does the check (Luhn, with La Poste's own rule); before it, only ASCII digits
and whitespace are let through, since `str.isdigit()` and stdnum's own cleaning accept
superscripts, Arabic-Indic or full-width digits that would then be printed on the invoice."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

_FOURTEEN_ASCII_DIGITS = re.compile(r"[0-9]{14}", re.ASCII)


def siret_normalised(value: str) -> str:
    """The SIRET without its spaces; a ValidationError saying what is wrong with it otherwise."""
    number = "".join(value.split())
    if not _FOURTEEN_ASCII_DIGITS.fullmatch(number):
        raise ValidationError(_("The SIRET must be 14 digits (check the number on your invoices)."))
    try:
        return stdnum_siret.validate(number)
    except InvalidChecksum as error:
        raise ValidationError(
            _("This SIRET does not exist: its check digit is wrong (check the number on your invoices).")
        ) from error
    except StdnumError as error:  # any other refusal: the format, which was checked above
        raise ValidationError(
            _("The SIRET must be 14 digits (check the number on your invoices).")
        ) from error


def is_valid_siret(value: str) -> bool:
    try:
        siret_normalised(value)
    except ValidationError:
        return False
    return True
