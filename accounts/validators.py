"""Checks on what people type about themselves."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Cc: control characters (NUL, escape, line breaks...); Cf: invisible formatting (right-to-left
# override U+202E, isolates U+2066-2069, zero-width space U+200B, byte order mark U+FEFF...).
# In a name they let one person pass for another, or reverse the text around the name wherever
# it is shown (directory, emails, SMS).
INVISIBLE_CATEGORIES = {"Cc", "Cf"}


def has_invisible_characters(value: str) -> bool:
    return any(unicodedata.category(c) in INVISIBLE_CATEGORIES for c in value)


def validate_visible_name(value: str) -> None:
    """Refuses a name that holds control or invisible formatting characters."""
    if has_invisible_characters(value):
        raise ValidationError(
            _("Names may not contain invisible or control characters; please type the name again."),
            code="invisible_characters",
        )
