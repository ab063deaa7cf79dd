import re
import unicodedata

_HOUSE_NUMBER = re.compile(r"^\s*\d+\s*(bis|ter|quater|[a-d])?\b", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-'’]+")


def normalize_place_name(value: str) -> str:
    """Lower-case, accent-free, separator-free form used to search communes by name.

    "Saint-Sébastien-sur-Loire" and "saint sebastien sur loire" both give
    "saint sebastien sur loire".
    """
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", ascii_only.lower()).strip()


def starts_with_house_number(street: str) -> bool:
    return bool(_HOUSE_NUMBER.match(street))
