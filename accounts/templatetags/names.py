"""Names in titles: "Alerts of Les Lilas" in English, "Alertes des Lilas" in French.

French contracts "de" with the article that starts a name ("de Le Moulin" is "du Moulin",
"de Les Lilas" is "des Lilas") and elides it before a vowel ("d'Autour de l'église"); "de La"
and "de L'" stay. Titles say "Alerts {{ of_name }}" and this filter writes the "of" part in
the active language."""

from django import template
from django.utils.translation import get_language, pgettext

register = template.Library()

_VOWELS = set("aeiouàâäéèêëîïôöùûüœæ")
# Whether an h is mute (l'hôtel) or aspirated (le hameau) is in the dictionary, not in the
# spelling: elide only before the words known to begin with a mute h.
_MUTE_H = ("hôtel", "hôpital", "horloge", "hirondelle", "hippodrome", "herbier", "hermitage", "histoire")
_CONTRACTED = (("les ", "des "), ("le ", "du "))


def french_of(name: str) -> str:
    """ "de" and the name, contracted or elided as French writes it."""
    name = " ".join(str(name).split())
    if not name:
        return ""
    lowered = name.casefold()
    for article, contracted in _CONTRACTED:
        if lowered.startswith(article) and len(name) > len(article):
            return contracted + name[len(article) :]
    first = lowered[0]
    if first in _VOWELS or (first == "y" and lowered[1:2] not in _VOWELS) or lowered.startswith(_MUTE_H):
        return "d'" + name
    return "de " + name


@register.filter
def of_name(name) -> str:
    """ "of <name>" in the active language, for titles such as "Alerts {{ of_name }}"."""
    if (get_language() or "").split("-")[0] == "fr":
        return french_of(name)
    return pgettext("title about a named place", "of %(name)s") % {"name": " ".join(str(name).split())}
