import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’]+")

# A street is read as words: runs of letters and digits, and the signs that announce a number.
_WORDS = re.compile(r"[^\W_]+|[°#]")
_NUMBERED = re.compile(r"^([^\W\d_]*)(\d+)([^\W\d_]*)$")
_NUMBER_SIGNS = {"no", "num", "numero", "numéro", "#", "n°"}
_ORDINAL_SUFFIXES = {"e", "è", "er", "ere", "ère", "re", "eme", "ème", "ieme", "ième", "nd", "nde"}
_MONTHS = {
    "janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet",
    "août", "aout", "septembre", "octobre", "novembre", "décembre", "decembre",
}  # fmt: skip
_ROAD_CODES = {"a", "n", "d", "m", "c", "rn", "rd", "cd", "cr", "vc", "cv", "rm", "rc"}
# Apart from its number, a lone letter may be a building's: only N and D roads are common addresses.
_ROAD_WORDS = (_ROAD_CODES - {"a", "m", "c"}) | {
    "nationale", "départementale", "departementale", "départemental", "departemental",
    "communale", "communal", "rurale", "rural", "vicinale", "vicinal", "métropolitaine",
    "metropolitaine", "forestière", "forestiere", "autoroute",
}  # fmt: skip
# "rue des 3 Frères", "résidence les 4 Saisons": a count that is part of the name.
_COUNT_WORDS = {"des", "les", "aux"}


def normalize_place_name(value: str) -> str:
    """Lower-case, accent-free, separator-free form used to search communes by name.

    "Saint-Sébastien-sur-Loire" and "saint sebastien sur loire" both give
    "saint sebastien sur loire".
    """
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", ascii_only.lower()).strip()


def has_house_number(street: str) -> bool:
    """Whether a street as a person typed it gives a house number, which we never keep.

    Every number in the street is a house number ("12 rue des Lilas", "rue des Lilas 12",
    "rue des Lilas, 12bis", "rue des Lilas n°12", "No 12 rue des Lilas", "#12"), unless it is
    part of the street's name:
    - an ordinal: "avenue de la 2e DB", "rue du 1er Mai", "rue de la 1re Armée";
    - a date: a day before a month ("rue du 8 Mai", "rue du 4-Septembre") or a four-digit year
      after a month or "an" ("place du 19 Mars 1962", "rue de l'An 2000");
    - a road's number after its class or code ("RN 137", "RD 723", "D 723", "D723", "A11",
      "route départementale 723", "autoroute 11", "chemin rural n° 12"); a lone letter other
      than N or D before a number ("bâtiment C 12") is not read as a road;
    - a count after "des", "les" or "aux" inside the name ("rue des 3 Frères").
    Any other number, anywhere (a building, a flat), is refused: we would rather have a resident
    rephrase a rare street name than keep an address.
    """
    words = _WORDS.findall(unicodedata.normalize("NFKC", street).casefold())
    numbers = (i for i, word in enumerate(words) if any(c.isdigit() for c in word))
    return any(_is_house_number(words, i) for i in numbers)


def _is_house_number(words: list[str], i: int) -> bool:
    parts = _NUMBERED.match(words[i])
    if parts is None:  # digits mixed with letters in an unusual way: no way to tell
        return True
    prefix, digits, suffix = parts.groups()
    before = words[:i]
    after = words[i + 1] if i + 1 < len(words) else None
    if prefix:  # "D723", "RN137" are roads; "no12" is a number sign; anything else is unclear
        if prefix not in _NUMBER_SIGNS:
            return prefix not in _ROAD_CODES
        before.append(prefix)
    if suffix in _ORDINAL_SUFFIXES:
        return False
    signed = _take_number_sign(before)
    previous = before[-1] if before else None
    if previous in _ROAD_WORDS:
        return False
    if signed:
        return True
    if suffix in ("", "er") and after in _MONTHS and 1 <= int(digits) <= 31:
        return False
    if not suffix and len(digits) == 4 and (previous in _MONTHS or previous == "an"):
        return False
    return not (previous in _COUNT_WORDS and after is not None)


def _take_number_sign(before: list[str]) -> bool:
    """Removes a number sign ("n°", "no", "numéro", "#") from the end of `before`."""
    if before[-2:] == ["n", "°"]:
        del before[-2:]
        return True
    if before and before[-1] in _NUMBER_SIGNS:
        before.pop()
        return True
    return False
