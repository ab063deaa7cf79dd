"""SMS length rules: one segment is 160 GSM-7 characters, or 70 if any character needs UCS-2;
a longer SMS is sent as concatenated segments of 153 (or 67), each carrying the header that
joins them.

French text is kept in GSM-7 by replacing the few accented letters the GSM alphabet lacks
with their plain form, so that an alert costs one segment, not three. Anything else outside
GSM-7 (another script's accents, emoji) is reduced to its plain letter or dropped: a single
emoji would otherwise turn the whole SMS into UCS-2.
"""

import unicodedata

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€")  # each counts as two characters
REPLACEMENTS = str.maketrans(
    {
        "â": "a",
        "ê": "e",
        "ë": "e",
        "î": "i",
        "ï": "i",
        "ô": "o",
        "û": "u",
        "ç": "c",
        "ÿ": "y",
        "À": "A",
        "Â": "A",
        "È": "E",
        "Ê": "E",
        "Ë": "E",
        "Î": "I",
        "Ï": "I",
        "Ô": "O",
        "Ù": "U",
        "Û": "U",
        "Œ": "OE",
        "œ": "oe",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2010": "-",
        "\u2011": "-",
        "Ł": "L",
        "ł": "l",
        "ı": "i",
        "Đ": "D",
        "đ": "d",
    }
)
SEGMENT_GSM7 = 160
SEGMENT_UCS2 = 70
CONCATENATED_GSM7 = 153
CONCATENATED_UCS2 = 67


def to_gsm7(text: str) -> str:
    text = text.translate(REPLACEMENTS)
    if is_gsm7(text):
        return text
    return "".join(c if is_gsm7(c) else _plain(c) for c in text)


def _plain(char: str) -> str:
    """The GSM-7 letters of a character's decomposition ("ã" gives "a"), or nothing."""
    return "".join(c for c in unicodedata.normalize("NFKD", char) if c in GSM7_BASIC or c in GSM7_EXTENDED)


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text)


def length(text: str) -> int:
    """Characters as the network counts them (extended GSM characters count twice)."""
    if not is_gsm7(text):
        return len(text)
    return sum(2 if c in GSM7_EXTENDED else 1 for c in text)


def single_segment_limit(text: str) -> int:
    return SEGMENT_GSM7 if is_gsm7(text) else SEGMENT_UCS2


def fits_one_segment(text: str) -> bool:
    return length(text) <= single_segment_limit(text)


def capacity(segments: int) -> int:
    """GSM-7 characters that this many segments carry."""
    return SEGMENT_GSM7 if segments == 1 else segments * CONCATENATED_GSM7


def segments(text: str) -> int:
    """How many segments the network sends this text as (and bills)."""
    if fits_one_segment(text):
        return 1
    if not is_gsm7(text):
        return -(-len(text) // CONCATENATED_UCS2)
    count, used = 1, 0
    for char in text:
        size = 2 if char in GSM7_EXTENDED else 1
        if used + size > CONCATENATED_GSM7:  # an escaped character is never split across two
            count, used = count + 1, 0
        used += size
    return count


def shorten(text: str, budget: int) -> str:
    """Cuts text to `budget` network characters, ending with an ellipsis when cut."""
    text = " ".join(text.split())
    if length(text) <= budget:
        return text
    while text and length(text + "...") > budget:
        text = text[:-1]
    return text.rstrip() + "..."
