"""Demo data for trying Vigilance: the commune of Saint-Sébastien-sur-Loire and its people.

Running it again changes nothing that is already there (it is idempotent) and prints the
demo logins each time.
"""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.identity import site_identity_update
from accounts.models import SiteIdentity, User
from neighbourhoods import services as neighbourhood_services
from neighbourhoods.models import (
    Commune,
    Community,
    Membership,
    Neighbourhood,
    NeighbourhoodReferent,
    Official,
    Postcode,
)
from neighbourhoods.text import normalize_place_name

PASSWORD = "vigilance-demo"
DOMAIN = "demo.vigilance.fr"

NEIGHBOURHOODS = {
    "Centre-Bourg": ["Autour de l'église", "Rue de la Libération"],
    "La Profondine": ["Les Lilas – Profondine"],
    "Le Douet": ["Douet – bords de Loire"],
    "Les Gripots": [],
}

# (email local part, first name, last name, phone, neighbourhood, community, street, status)
RESIDENTS = [
    (
        "claire.martin",
        "Claire",
        "Martin",
        "+33600000001",
        "Centre-Bourg",
        "Autour de l'église",
        "rue de l'Église",
        "approved",
    ),
    (
        "paul.bernard",
        "Paul",
        "Bernard",
        "+33600000002",
        "Centre-Bourg",
        "Autour de l'église",
        "place de l'Église",
        "approved",
    ),
    (
        "amina.diallo",
        "Amina",
        "Diallo",
        "+33600000003",
        "Centre-Bourg",
        "Autour de l'église",
        "rue du Marché",
        "approved",
    ),
    (
        "jean.petit",
        "Jean",
        "Petit",
        "+33600000004",
        "Centre-Bourg",
        "Autour de l'église",
        "rue des Écoles",
        "pending",
    ),
    (
        "lucie.moreau",
        "Lucie",
        "Moreau",
        "+33600000005",
        "Centre-Bourg",
        "Rue de la Libération",
        "rue de la Libération",
        "approved",
    ),
    (
        "marc.leroy",
        "Marc",
        "Leroy",
        "+33600000006",
        "La Profondine",
        "Les Lilas – Profondine",
        "allée des Lilas",
        "approved",
    ),
    (
        "sophie.roux",
        "Sophie",
        "Roux",
        "+33600000007",
        "La Profondine",
        "Les Lilas – Profondine",
        "rue des Roses",
        "pending",
    ),
    (
        "henri.garnier",
        "Henri",
        "Garnier",
        "+33600000008",
        "Le Douet",
        "Douet – bords de Loire",
        "quai du Douet",
        "approved",
    ),
]


DEMO_IDENTITY = {
    "service_name": "Vigilance",
    "contact_email": "mairie@demo.vigilance.fr",
    "contact_phone": "02 40 00 00 00",
    "postal_address": "Hôtel de ville (démonstration)\n44230 Saint-Sébastien-sur-Loire",
    "publication_director": "Le maire (compte de démonstration)",
    "host_name": "Service informatique de la commune (démonstration)",
    "host_address": "Hôtel de ville\n44230 Saint-Sébastien-sur-Loire",
    "host_contact": "informatique@demo.vigilance.fr",
    "dpo_name": "Délégué à la protection des données (démonstration)",
    "dpo_email": "dpo@demo.vigilance.fr",
    "accessibility_status": SiteIdentity.Accessibility.PARTIAL,
    "accessibility_auditor": "Audit interne, axe-core et navigation au clavier",
    "accessibility_issues": "Les pages d'administration de Django n'ont pas fait l'objet d'un audit RGAA complet.",
}


class Command(BaseCommand):
    help = "Create the demo commune, communities and accounts (idempotent); prints the logins."

    def handle(self, *args, **options):
        # The logins are printed last, after the emails that the seeding sends (on commit).
        with transaction.atomic():
            people = self._seed()
        self._print_logins(*people)

    def _seed(self):
        commune = self._commune()
        neighbourhoods, communities = self._places(commune)
        admin = self._user("admin", "Admin", "Plateforme", is_staff=True, is_superuser=True)
        referent = self._user("referent", "Nadia", "Referente", phone="+33600000000", commune=commune)
        police = self._user(
            "police", "Agent", "Police municipale", is_staff=True, official_role=User.OfficialRole.POLICE
        )
        mairie = self._user(
            "mairie", "Accueil", "Mairie", is_staff=True, official_role=User.OfficialRole.MAYOR_OFFICE
        )
        for official in (police, mairie):
            Official.objects.get_or_create(user=official, defaults={"commune": commune})
        for name in ("Centre-Bourg", "La Profondine"):
            if not NeighbourhoodReferent.objects.filter(
                neighbourhood=neighbourhoods[name], user=referent
            ).exists():
                neighbourhood_services.referent_appoint(
                    appointed_by=mairie, neighbourhood=neighbourhoods[name], user=referent
                )
        self._membership(referent, communities["Autour de l'église"], "rue de la Paix", "approved", referent)
        residents = []
        for local, first, last, phone, _nb, community, street, status in RESIDENTS:
            user = self._user(local, first, last, phone=phone, commune=commune)
            self._membership(user, communities[community], street, status, referent)
            residents.append((user, status))
        self._alerts(communities["Autour de l'église"], residents[0][0], police)
        self._shop(commune)
        self._identity(commune)
        return admin, referent, police, mairie, residents

    def _identity(self, commune):
        """Who runs the demo: what a town hall sets once in the admin (demo contacts only)."""
        identity = SiteIdentity.objects.filter(pk=1).first() or SiteIdentity(pk=1)
        if identity.commune_insee:
            return  # set already: the town hall's own settings are kept
        for name, value in DEMO_IDENTITY.items():
            setattr(identity, name, value)
        identity.commune_name, identity.commune_insee = commune.name, commune.insee_code
        identity.accessibility_audit_date = timezone.localdate()
        site_identity_update(identity=identity)

    def _shop(self, commune):
        """The signage catalogue, and the demo commune as a Mairie Vigilante with a budget."""
        from decimal import Decimal

        from shop.models import Product, SignageProgramme

        catalogue = [
            (
                "STK-BAL",
                "Autocollant boîte aux lettres",
                Product.Kind.STICKER,
                "3.25",
                500,
                True,
                True,
                "img/shop/letterbox-sticker.svg",
                "Autocollant résistant aux UV, 8 × 6 cm, pour la boîte aux lettres.",
            ),
            (
                "STK-PORTE",
                "Autocollant de porte",
                Product.Kind.STICKER,
                "4.08",
                300,
                True,
                True,
                "img/shop/door-sticker.svg",
                "Autocollant rond, 10 cm, pour porte d'entrée ou portail.",
            ),
            (
                "KIT-FOYER",
                "Kit d'autocollants du foyer",
                Product.Kind.KIT,
                "9.92",
                200,
                True,
                True,
                "img/shop/sticker-kit.svg",
                "Deux autocollants boîte aux lettres et un autocollant de porte.",
            ),
            (
                "PAN-S",
                "Panneau de rue 30 × 40 cm",
                Product.Kind.SIGN,
                "41.58",
                40,
                False,
                True,
                "img/shop/street-sign.svg",
                "Panneau aluminium « Voisins vigilants », à fixer sur poteau.",
            ),
            (
                "PAN-L",
                "Panneau de rue 50 × 70 cm",
                Product.Kind.SIGN,
                "74.92",
                25,
                False,
                True,
                "img/shop/street-sign.svg",
                "Grand panneau aluminium pour les entrées de commune.",
            ),
            (
                "PACK-RUE",
                "Pack rue",
                Product.Kind.PACK,
                "124.92",
                15,
                False,
                True,
                "img/shop/street-pack.svg",
                "Deux panneaux 30 × 40 cm, leurs fixations et 20 kits d'autocollants.",
            ),
        ]
        products = {}
        for sku, name, kind, price, stock, residents, town_halls, image, description in catalogue:
            Product.objects.filter(sku=sku).exclude(image=image).update(image=image)  # older seeds
            products[sku], _ = Product.objects.get_or_create(
                sku=sku,
                defaults={
                    "name": name,
                    "kind": kind,
                    "price_excl_vat": Decimal(price),
                    "stock": stock,
                    "for_residents": residents,
                    "for_town_halls": town_halls,
                    "image": image,
                    "description": description,
                },
            )
        programme, created = SignageProgramme.objects.get_or_create(
            commune=commune, defaults={"budget_remaining": Decimal("500.00"), "is_mairie_vigilante": True}
        )
        if created:
            programme.funded_products.add(products["KIT-FOYER"])

    def _alerts(self, community, author, police):
        """Two published alerts for the feed; no deliveries, so nothing is sent by the seed."""
        from alerts.models import Alert

        now = timezone.now()
        demo = [
            (
                author,
                Alert.Kind.MEMBER,
                Alert.Category.SUSPICIOUS_VEHICLE,
                Alert.Urgency.VIGILANCE,
                "rue de l'Église",
                "Une camionnette blanche sans inscription est passée lentement trois fois entre 14 h et 15 h, "
                "plaque commençant par GH.",
            ),
            (
                police,
                Alert.Kind.POLICE,
                Alert.Category.SCAM,
                Alert.Urgency.URGENT,
                "",
                "Police municipale : de faux agents des eaux se présentent chez des personnes âgées. "
                "Ne laissez entrer personne sans carte professionnelle ; en cas de doute, appelez le 17.",
            ),
        ]
        for user, kind, category, urgency, street, description in demo:
            if Alert.objects.filter(description=description).exists():
                continue
            alert = Alert.objects.create(
                kind=kind,
                author=user,
                commune=community.neighbourhood.commune,
                category=category,
                urgency=urgency,
                street=street,
                description=description,
                status=Alert.Status.PUBLISHED,
                published_at=now,
            )
            alert.communities.add(community, through_defaults={"published_at": alert.published_at})

    def _commune(self) -> Commune:
        commune, _ = Commune.objects.get_or_create(
            insee_code="44190",
            defaults={
                "name": "Saint-Sébastien-sur-Loire",
                "department_code": "44",
                "search_name": normalize_place_name("Saint-Sébastien-sur-Loire"),
            },
        )
        Postcode.objects.get_or_create(commune=commune, code="44230")
        return commune

    def _places(self, commune):
        neighbourhoods, communities = {}, {}
        for name, community_names in NEIGHBOURHOODS.items():
            neighbourhood, _ = Neighbourhood.objects.get_or_create(commune=commune, name=name)
            neighbourhoods[name] = neighbourhood
            for community_name in community_names:
                communities[community_name], _ = Community.objects.get_or_create(
                    neighbourhood=neighbourhood,
                    name=community_name,
                    defaults={
                        "description": f"Les voisins vigilants du secteur « {community_name} ».",
                        "rules": "Nous observons la rue, jamais l'intérieur des maisons. "
                        "En cas d'urgence, appelez le 17 (ou le 112).",
                    },
                )
        return neighbourhoods, communities

    def _user(self, local, first, last, *, phone="", commune=None, **fields) -> User:
        email = f"{local}@{DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=PASSWORD,
                first_name=first,
                last_name=last,
                phone=phone,
                charter_accepted_at=timezone.now(),
                phone_verified_at=timezone.now() if phone else None,
                **fields,
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if commune is not None:
            neighbourhood_services.commune_declare(user=user, commune=commune)
        return user

    def _membership(self, user, community, street, status, referent):
        if Membership.objects.filter(user=user, community=community).exists():
            return
        decided = status != "pending"
        Membership.objects.create(
            user=user,
            community=community,
            street=street,
            status=status,
            decided_at=timezone.now() if decided else None,
            decided_by=referent if decided else None,
        )

    def _print_logins(self, admin, referent, police, mairie, residents):
        write = self.stdout.write
        write(self.style.SUCCESS("Demo data ready: Saint-Sébastien-sur-Loire (INSEE 44190, 44230)."))
        write(f"Every demo account's password is: {PASSWORD}")
        write(f"  platform staff (admin)   {admin.email}")
        write(f"  referent                 {referent.email}")
        write(f"  municipal police         {police.email}")
        write(f"  mayor's office (mairie)  {mairie.email}")
        write("  (these four set up an authenticator app at their first sign-in, then type its code)")
        for user, status in residents:
            write(f"  resident ({status:8})      {user.email}")
