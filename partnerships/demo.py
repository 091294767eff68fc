"""Demo steps of the partnerships room: the 15 partnerships with their staff, then interests
and matches (run after the organisations step)."""

from datetime import date

from cxc_portal.demo.base import SeedContext, demo_user
from organisations.models import IndustrialEcosystem

from .models import Partnership, PartnershipStaff

# (acronym, name, ecosystems, countries)
PARTNERSHIPS = (
    (
        "AGRIFOOD-X",
        "Agri-Food Excellence Partnership",
        ["agri-food", "retail"],
        ["PT", "ES", "FR", "IT"],
    ),
    (
        "AEROCLUSTERS",
        "European Aerospace Clusters Partnership",
        ["aerospace-defence", "electronics"],
        ["FR", "DE", "ES", "PL"],
    ),
    (
        "DIGI-HUBS",
        "Digital Industry Hubs Partnership",
        ["digital", "electronics"],
        ["EE", "FI", "LV", "LT", "SE"],
    ),
    ("HEALTH-XC", "Health Clusters Excellence", ["health"], ["BE", "NL", "DE", "DK"]),
    (
        "GREEN-BUILD",
        "Sustainable Construction Clusters",
        ["construction", "energy-intensive"],
        ["AT", "SI", "HR", "CZ"],
    ),
    (
        "RE-POWER",
        "Renewable Energy Clusters Alliance",
        ["energy-renewables"],
        ["DK", "DE", "PT", "GR"],
    ),
    (
        "MOVE-EU",
        "Smart Mobility Excellence Partnership",
        ["mobility", "electronics"],
        ["DE", "CZ", "SK", "RO"],
    ),
    (
        "TEXTILE-NEXT",
        "Textile and Fashion Clusters Partnership",
        ["textile", "retail"],
        ["PT", "IT", "BG", "TR"],
    ),
    (
        "CREATIVE-EU",
        "Cultural and Creative Industries Partnership",
        ["cultural-creative", "tourism"],
        ["IE", "BE", "MT", "CY"],
    ),
    (
        "TOUR-X",
        "Sustainable Tourism Clusters Partnership",
        ["tourism", "proximity-social"],
        ["GR", "HR", "ME", "AL"],
    ),
    ("CHEM-CIRC", "Circular Chemistry Clusters", ["energy-intensive"], ["BE", "NL", "PL"]),
    (
        "BLUE-ECO",
        "Blue Economy Clusters Partnership",
        ["agri-food", "mobility"],
        ["IS", "NO", "PT", "ES"],
    ),
    (
        "SOCIAL-INNO",
        "Social Economy Innovation Partnership",
        ["proximity-social"],
        ["IT", "FR", "HU", "RS"],
    ),
    (
        "ELECTRO-SEMI",
        "Electronics and Semiconductors Partnership",
        ["electronics", "digital"],
        ["NL", "DE", "AT", "UA"],
    ),
    (
        "SME-BRIDGE",
        "SME Internationalisation Bridge",
        ["digital", "health", "agri-food"],
        ["MK", "BA", "MD", "AM", "XK"],
    ),
)


def seed_partnerships(ctx: SeedContext) -> None:
    ecosystems = {e.code: e for e in IndustrialEcosystem.objects.all()}
    for acronym, name, eco_codes, countries in PARTNERSHIPS:
        partnership, _ = Partnership.objects.get_or_create(
            acronym=acronym,
            defaults={
                "name": name,
                "slug": acronym.lower(),
                "description": f"{name}: a European Cluster Partnership | Excellence bringing "
                "together cluster organisations to organise ClusterXchange exchanges.",
                "countries": [c for c in countries if c != "NO"],
                "contact_email": f"{acronym.lower()}@partnerships.cxc.local",
                "active_from": date(2022, 1, 1),
            },
        )
        partnership.ecosystems.set([ecosystems[c] for c in eco_codes])
        user = demo_user(
            ctx,
            email=f"staff.{acronym.lower()}@cxc.local",
            first_name=acronym.title(),
            last_name="Officer",
            role=f"partnership staff ({acronym})",
            mfa=True,
        )
        PartnershipStaff.objects.get_or_create(
            user=user,
            partnership=partnership,
            defaults={
                "can_validate_profiles": True,
                "can_approve_exchanges": True,
                "can_manage_payments": True,
            },
        )
    ctx.say(f"{len(PARTNERSHIPS)} partnerships with their staff.")


def seed_interests_and_matches(ctx: SeedContext) -> None:
    """Expressions of interest and matches between the demo organisations (issue 4)."""
