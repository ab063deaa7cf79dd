"""What the pieces of benchmarks/scale.py share: where the databases are, the two communes
measured, the targets, the French names the build writes, and Django's set-up for a database."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
NANTES = "44109"
TYPICAL = "44190"  # Saint-Sébastien-sur-Loire: a commune of ~28,000 people
P95_TARGET_MS = 100
SIZE_TARGET_KB = 200

FIRST_NAMES = [
    "Jean", "Marie", "Pierre", "Nathalie", "Michel", "Isabelle", "Philippe", "Sylvie", "Alain",
    "Catherine", "Nicolas", "Sophie", "Christophe", "Valérie", "Patrick", "Sandrine", "Stéphane",
    "Christine", "Laurent", "Céline", "Julien", "Aurélie", "Thomas", "Émilie", "Camille", "Léa",
    "Hugo", "Chloé", "Louis", "Manon", "Lucas", "Inès", "Gabriel", "Jade", "Arthur", "Louise",
    "Raphaël", "Zoé", "Maël", "Anaïs", "Théo", "Clémence", "Noël", "Agnès", "François", "Hélène",
    "Benoît", "Élodie", "Jérôme", "Margaux",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin",
    "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis",
    "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard",
    "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez",
    "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron", "Picard",
    "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier", "Philippe",
    "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume",
    "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez",
    "Dupuis", "Moulin", "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury",
    "Royer", "Klein", "Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré",
    "Charles", "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé",
    "Schneider", "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost",
    "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain", "Breton", "Besson", "Langlois",
    "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal",
    "Weber", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier", "Michaud", "Rodriguez", "Guichard",
    "Gillet", "Étienne", "Grondin", "Poulain", "Tessier", "Chevallier", "Collin", "Chauvin",
    "Da Silva", "Bouchet", "Gay", "Lemaître", "Bénard", "Maréchal", "Humbert", "Reynaud", "Antoine",
    "Hoarau", "Perret", "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay",
    "Pasquier", "Carlier", "Laporte",
]  # fmt: skip
STREETS = [
    "rue des Lilas", "rue du Moulin", "allée des Chênes", "rue de la Gare", "avenue Jean Jaurès",
    "rue Victor Hugo", "impasse des Tilleuls", "rue Pasteur", "chemin de la Fontaine",
    "rue des Écoles", "place de l'Église", "rue du Stade", "boulevard des Pas Enchantés",
    "rue de la Loire", "allée des Pins", "rue des Vignes", "rue du Château", "rue de la Paix",
    "chemin des Prés", "rue des Peupliers", "rue Jules Verne", "avenue de la Libération",
    "rue des Acacias", "rue de Bretagne", "rue du Calvaire", "rue des Rosiers",
    "allée des Bleuets", "rue de la Mairie", "rue Anatole France", "rue des Hirondelles",
]  # fmt: skip
QUARTIERS = [
    "Centre-ville", "Hauts-Pavés – Saint-Félix", "Malakoff – Saint-Donatien", "Île de Nantes",
    "Breil – Barberie", "Nantes Nord", "Nantes Erdre", "Doulon – Bottière", "Nantes Sud",
    "Dervallières – Zola", "Bellevue – Chantenay", "La Gare", "Les Coteaux",
    "Le Port", "Les Moulins", "La Vallée", "Le Plateau", "Les Jardins", "La Croix", "Les Vergers",
]  # fmt: skip
DESCRIPTIONS = [
    "Une camionnette blanche sans inscription passe lentement dans la rue depuis ce matin, "
    "deux personnes à bord regardent les maisons.",
    "Un homme se présentant comme agent des eaux a sonné à plusieurs portes sans carte "
    "professionnelle. Il est reparti vers le centre.",
    "Notre voisine âgée n'a pas ouvert ses volets depuis trois jours, son courrier déborde.",
    "Tentative d'effraction sur un portail de garage cette nuit vers 3 h, traces sur la serrure.",
    "Une voiture grise stationne devant l'école depuis deux jours, moteur allumé par moments.",
    "Des démarcheurs pour un soi-disant diagnostic énergétique insistent pour entrer.",
    "Plusieurs passages d'un scooter sans plaque en fin d'après-midi, il s'arrête devant les "
    "maisons dont les volets sont fermés.",
    "Vol de vélos dans les abris de jardin de la rue, signalé à la gendarmerie.",
]


def now():
    return time.perf_counter()


def sql_array(values) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


def django_env(db: str) -> dict:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=f"{PG}/{db}",
        DJANGO_SETTINGS_MODULE="vigilance.settings",
        DEBUG="0",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        VIGILANCE_ALLOW_INSECURE_KEY="1",
        SECRET_KEY=os.environ.get("SECRET_KEY", "scale-benchmark-not-secret-" + "x" * 40),
        STATIC_MANIFEST="0",  # no collectstatic here; the manifest lookup costs next to nothing
        CONN_MAX_AGE="600",
    )
    return env


def setup_django(db: str) -> None:
    os.environ.clear()
    os.environ.update(django_env(db))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
