"""Demo step of the organisations room: a realistic spread of profiles (run after the
partnerships step). Idempotent: every row is found or created by a natural key."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.utils import timezone

from cxc_portal.demo.base import SeedContext, demo_user

from .choices import OrganisationSize as Size
from .choices import OrganisationType as T
from .choices import ProfileStatus as S
from .choices import PublicAuthorityLevel, ScaleupSubtype
from .gazetteer import fold
from .models import (
    City,
    ClusterMembership,
    EasmePreApproval,
    IndustrialEcosystem,
    Organisation,
    Representative,
    RepresentativeStatus,
    Sector,
)


@dataclass(frozen=True)
class DemoOrg:
    key: str  # also the representative's login: <key>@demo.cxc.local
    name: str
    org_type: str
    size: str
    country: str
    city: str
    partnership: str
    ecosystems: tuple[str, ...]
    sectors: tuple[str, ...]
    keywords: tuple[str, ...]
    description: str
    status: str = S.VALIDATED
    subtype: str = ""
    level: str = ""
    members_of: tuple[str, ...] = ()
    rep: tuple[str, str, str] = ("Alex", "Demo", "Managing director")  # first, last, role
    note: str = ""
    reason: str = ""
    extra: dict = field(default_factory=dict)


ORGS: tuple[DemoOrg, ...] = (
    # --- cluster organisations (eligible without membership; members point at them) ----------
    DemoOrg(
        "flanders-health",
        "Flanders Health Cluster",
        T.CLUSTER,
        Size.SMALL,
        "BE",
        "Gent",
        "HEALTH-XC",
        ("health",),
        ("Q", "M"),
        ("medtech", "digital health", "biotech"),
        "Cluster of 180 health and life-science companies in Flanders.",
        rep=("Lotte", "Peeters", "Cluster manager"),
        note="cluster organisation, can visit and host",
    ),
    DemoOrg(
        "porto-agrifood",
        "Porto Agri-Food Cluster",
        T.CLUSTER,
        Size.SMALL,
        "PT",
        "Porto",
        "AGRIFOOD-X",
        ("agri-food", "retail"),
        ("A", "C"),
        ("food processing", "wine"),
        "Agri-food cluster of northern Portugal: producers, processors and retailers.",
        rep=("Joana", "Silva", "Cluster manager"),
    ),
    DemoOrg(
        "aerospace-valley",
        "Aerospace Valley Toulouse",
        T.CLUSTER,
        Size.MEDIUM,
        "FR",
        "Toulouse",
        "AEROCLUSTERS",
        ("aerospace-defence", "electronics"),
        ("C", "M"),
        ("avionics", "composites", "space"),
        "Aeronautics, space and embedded-systems cluster of Occitanie.",
        rep=("Camille", "Martin", "International officer"),
    ),
    DemoOrg(
        "baltic-digital",
        "Baltic Digital Cluster",
        T.CLUSTER,
        Size.SMALL,
        "EE",
        "Tallinn",
        "DIGI-HUBS",
        ("digital", "electronics"),
        ("J",),
        ("e-government", "cybersecurity"),
        "Digital and ICT companies of Estonia.",
        rep=("Mari", "Tamm", "Cluster manager"),
    ),
    DemoOrg(
        "styria-building",
        "Green Building Cluster Styria",
        T.CLUSTER,
        Size.SMALL,
        "AT",
        "Graz",
        "GREEN-BUILD",
        ("construction", "energy-intensive"),
        ("F", "M"),
        ("timber construction", "energy efficiency"),
        "Sustainable construction cluster of Styria.",
        rep=("Lukas", "Gruber", "Director"),
    ),
    DemoOrg(
        "prato-textile",
        "Prato Textile Cluster",
        T.CLUSTER,
        Size.SMALL,
        "IT",
        "Prato",
        "TEXTILE-NEXT",
        ("textile", "retail"),
        ("C",),
        ("recycled wool", "circular fashion"),
        "Textile district cluster specialised in recycled fibres.",
        rep=("Giulia", "Bianchi", "Cluster manager"),
    ),
    DemoOrg(
        "saxony-mobility",
        "Saxony Mobility Cluster",
        T.CLUSTER,
        Size.MEDIUM,
        "DE",
        "Dresden",
        "MOVE-EU",
        ("mobility", "electronics"),
        ("C", "H"),
        ("automotive", "battery", "autonomous driving"),
        "Automotive suppliers and mobility research of Saxony.",
        rep=("Jonas", "Schmidt", "Head of international affairs"),
    ),
    DemoOrg(
        "adriatic-tourism",
        "Adriatic Tourism Cluster",
        T.CLUSTER,
        Size.SMALL,
        "HR",
        "Split",
        "TOUR-X",
        ("tourism", "proximity-social"),
        ("I", "N"),
        ("sustainable tourism", "hospitality"),
        "Dalmatian tourism cluster for sustainable hospitality.",
        rep=("Ivana", "Horvat", "Cluster manager"),
    ),
    DemoOrg(
        "cork-creative",
        "Cork Creative Industries Cluster",
        T.CLUSTER,
        Size.MICRO,
        "IE",
        "Cork",
        "CREATIVE-EU",
        ("cultural-creative",),
        ("R", "J"),
        ("games", "animation"),
        "Creative and digital-media cluster of the south of Ireland.",
        rep=("Aoife", "Murphy", "Coordinator"),
    ),
    DemoOrg(
        "balkan-digital",
        "Balkan Digital Cluster",
        T.CLUSTER,
        Size.MICRO,
        "MK",
        "Skopje",
        "SME-BRIDGE",
        ("digital",),
        ("J",),
        ("software outsourcing", "fintech"),
        "Young ICT cluster of North Macedonia, profile under review.",
        status=S.SUBMITTED,
        rep=("Elena", "Petrovska", "Cluster manager"),
        note="cluster organisation, profile waiting for validation",
    ),
    # --- business network: eligible without membership, but never makes its members eligible -
    DemoOrg(
        "lisbon-network",
        "Lisbon Business Network",
        T.BUSINESS_NETWORK,
        Size.SMALL,
        "PT",
        "Lisbon",
        "AGRIFOOD-X",
        ("agri-food", "retail"),
        ("G", "N"),
        ("export", "b2b"),
        "Business network of Lisbon exporters.",
        rep=("Rui", "Costa", "Secretary general"),
        note="business network organisation, can visit without membership",
    ),
    # --- scaling-up support organisations: one of each kind, cluster members ------------------
    DemoOrg(
        "vigo-tech",
        "Vigo Automotive Technology Centre",
        T.SCALEUP_SUPPORT,
        Size.MEDIUM,
        "ES",
        "Vigo",
        "MOVE-EU",
        ("mobility",),
        ("M",),
        ("automotive", "testing"),
        "Technology centre for automotive testing.",
        subtype=ScaleupSubtype.TECHNOLOGY_CENTRE,
        members_of=("saxony-mobility",),
        rep=("Pablo", "Fernández", "Director"),
    ),
    DemoOrg(
        "delft-materials",
        "Delft Materials Research Institute",
        T.SCALEUP_SUPPORT,
        Size.MEDIUM,
        "NL",
        "Delft",
        "HEALTH-XC",
        ("health", "electronics"),
        ("M",),
        ("biomaterials", "semiconductors"),
        "Applied research on advanced materials.",
        subtype=ScaleupSubtype.RESEARCH_INSTITUTE,
        members_of=("flanders-health",),
        rep=("Sanne", "de Vries", "Business developer"),
    ),
    DemoOrg(
        "tartu-fablab",
        "Tartu Fab Lab",
        T.SCALEUP_SUPPORT,
        Size.MICRO,
        "EE",
        "Tartu",
        "DIGI-HUBS",
        ("digital", "electronics"),
        ("M", "P"),
        ("3d printing", "prototyping"),
        "Open fab lab for makers and start-ups.",
        subtype=ScaleupSubtype.FAB_LAB,
        members_of=("baltic-digital",),
        rep=("Kadri", "Kask", "Lab manager"),
    ),
    DemoOrg(
        "thessaloniki-hub",
        "Thessaloniki Innovation Hub",
        T.SCALEUP_SUPPORT,
        Size.SMALL,
        "GR",
        "Thessaloniki",
        "TOUR-X",
        ("tourism", "digital"),
        ("M", "N"),
        ("tourism tech", "open innovation"),
        "Innovation hub of northern Greece.",
        subtype=ScaleupSubtype.INNOVATION_HUB,
        members_of=("adriatic-tourism",),
        status=S.SUBMITTED,
        rep=("Nikos", "Papadopoulos", "Programme manager"),
    ),
    DemoOrg(
        "oulu-dih",
        "Oulu Digital Innovation Hub",
        T.SCALEUP_SUPPORT,
        Size.SMALL,
        "FI",
        "Oulu",
        "DIGI-HUBS",
        ("digital",),
        ("J", "M"),
        ("5g", "iot", "ai"),
        "European digital innovation hub for 5G and IoT.",
        subtype=ScaleupSubtype.DIGITAL_INNOVATION_HUB,
        members_of=("baltic-digital",),
        rep=("Aino", "Virtanen", "Hub coordinator"),
    ),
    DemoOrg(
        "dublin-creative",
        "Dublin Creative Hub",
        T.SCALEUP_SUPPORT,
        Size.MICRO,
        "IE",
        "Dublin",
        "CREATIVE-EU",
        ("cultural-creative",),
        ("R",),
        ("design", "music tech"),
        "Co-working and support hub for creative start-ups.",
        subtype=ScaleupSubtype.CREATIVE_HUB,
        members_of=("cork-creative",),
        status=S.DRAFT,
        rep=("Seán", "Kelly", "Founder"),
    ),
    DemoOrg(
        "ljubljana-resource",
        "Ljubljana Resource Efficiency Centre",
        T.SCALEUP_SUPPORT,
        Size.SMALL,
        "SI",
        "Ljubljana",
        "GREEN-BUILD",
        ("construction", "energy-intensive"),
        ("E", "M"),
        ("circular economy", "energy audit"),
        "Advises SMEs on energy and material efficiency.",
        subtype=ScaleupSubtype.RESOURCE_EFFICIENCY,
        members_of=("styria-building",),
        rep=("Maja", "Novak", "Senior adviser"),
    ),
    DemoOrg(
        "gent-incubator",
        "Gent Life Sciences Incubator",
        T.SCALEUP_SUPPORT,
        Size.SMALL,
        "BE",
        "Gent",
        "HEALTH-XC",
        ("health",),
        ("M", "Q"),
        ("biotech", "medtech"),
        "Incubator for life-science spin-offs.",
        subtype=ScaleupSubtype.INCUBATOR,
        members_of=("flanders-health",),
        rep=("Pieter", "Janssens", "Incubation manager"),
    ),
    DemoOrg(
        "skopje-accelerator",
        "Skopje Startup Accelerator",
        T.SCALEUP_SUPPORT,
        Size.MICRO,
        "MK",
        "Skopje",
        "SME-BRIDGE",
        ("digital",),
        ("M",),
        ("startups", "fintech"),
        "Accelerator whose only cluster is not validated yet.",
        subtype=ScaleupSubtype.ACCELERATOR,
        members_of=("balkan-digital",),
        rep=("Stefan", "Trajkovski", "Programme lead"),
        note="member only of a cluster not yet validated: cannot visit or host",
    ),
    # --- SMEs --------------------------------------------------------------------------------
    DemoOrg(
        "douro-farming",
        "Douro Smart Farming Lda",
        T.SME,
        Size.SMALL,
        "PT",
        "Braga",
        "AGRIFOOD-X",
        ("agri-food",),
        ("A", "J"),
        ("precision agriculture", "iot", "wine"),
        "Sensors and software for vineyards.",
        members_of=("porto-agrifood",),
        rep=("Tiago", "Almeida", "CEO"),
        note="SME, cluster member, can visit and host",
    ),
    DemoOrg(
        "lisbon-cork",
        "Lisbon Cork Design Lda",
        T.SME,
        Size.MICRO,
        "PT",
        "Lisbon",
        "AGRIFOOD-X",
        ("retail", "cultural-creative"),
        ("C",),
        ("cork", "design"),
        "Design objects in cork; member of a business network only.",
        members_of=("lisbon-network",),
        rep=("Inês", "Ferreira", "Founder"),
        note="SME member only of a business network: cannot visit or host (R-ELIG-4)",
    ),
    DemoOrg(
        "valencia-ceramics",
        "Valencia Ceramics SL",
        T.SME,
        Size.MEDIUM,
        "ES",
        "Valencia",
        "CHEM-CIRC",
        ("energy-intensive", "construction"),
        ("C",),
        ("ceramics", "kilns"),
        "Ceramic tiles maker, not a cluster member, pre-approved by EASME to host.",
        rep=("Lucía", "García", "Export manager"),
        extra={"easme": "EASME/2026/CXC/0042"},
        note="SME with EASME pre-approval: can host, not visit (R-ELIG-6)",
    ),
    DemoOrg(
        "krakow-drones",
        "Kraków Drone Systems sp. z o.o.",
        T.SME,
        Size.SMALL,
        "PL",
        "Kraków",
        "AEROCLUSTERS",
        ("aerospace-defence", "electronics"),
        ("C", "J"),
        ("drones", "computer vision"),
        "Inspection drones for infrastructure.",
        members_of=("aerospace-valley",),
        status=S.SUBMITTED,
        rep=("Piotr", "Nowak", "CTO"),
        note="SME, profile waiting for AEROCLUSTERS",
    ),
    DemoOrg(
        "sofia-knitwear",
        "Sofia Knitwear OOD",
        T.SME,
        Size.SMALL,
        "BG",
        "Sofia",
        "TEXTILE-NEXT",
        ("textile",),
        ("C",),
        ("knitwear", "recycled yarn"),
        "Knitwear manufacturer moving to recycled yarns.",
        members_of=("prato-textile",),
        status=S.DRAFT,
        rep=("Maria", "Ivanova", "Owner"),
        note="SME, draft profile",
    ),
    DemoOrg(
        "tirana-tours",
        "Tirana Tours shpk",
        T.SME,
        Size.MICRO,
        "AL",
        "Tirana",
        "TOUR-X",
        ("tourism",),
        ("N",),
        ("incoming tourism",),
        "Incoming tour operator.",
        members_of=("adriatic-tourism",),
        status=S.REJECTED,
        reason="Please attach the ECCP profile of your cluster membership and describe "
        "your activities in more detail.",
        rep=("Arben", "Hoxha", "Manager"),
        note="SME, profile rejected (can fix and resubmit)",
    ),
    # --- hosts only ----------------------------------------------------------------------------
    DemoOrg(
        "graz-skills",
        "Skills Academy Graz",
        T.TRAINING_PROVIDER,
        Size.SMALL,
        "AT",
        "Graz",
        "GREEN-BUILD",
        ("construction",),
        ("P",),
        ("vocational training", "bim"),
        "Vocational training in sustainable construction.",
        members_of=("styria-building",),
        rep=("Anna", "Huber", "Director"),
    ),
    DemoOrg(
        "nordic-aero",
        "Nordic Aero Components AB",
        T.LARGE_COMPANY,
        Size.LARGE,
        "SE",
        "Linköping",
        "AEROCLUSTERS",
        ("aerospace-defence",),
        ("C",),
        ("aerostructures", "composites"),
        "Aerostructure supplier, 1,200 staff.",
        members_of=("aerospace-valley",),
        rep=("Erik", "Lindqvist", "Open-innovation lead"),
        note="large company, cluster member: can host, never visit",
    ),
    DemoOrg(
        "split-city",
        "City of Split — Development Department",
        T.PUBLIC_AUTHORITY,
        Size.LARGE,
        "HR",
        "Split",
        "TOUR-X",
        ("tourism", "proximity-social"),
        ("O",),
        ("smart city", "tourism policy"),
        "City administration active in the tourism cluster.",
        level=PublicAuthorityLevel.CITY,
        members_of=("adriatic-tourism",),
        rep=("Marko", "Babić", "Head of department"),
        note="public authority active in a cluster: can host",
    ),
)


def _city(country: str, name: str) -> City | None:
    return (
        City.objects.filter(country=country, ascii_name__iexact=fold(name))
        .order_by("-population")
        .first()
    )


def seed(ctx: SeedContext) -> None:
    """Organisations of every type and scaling-up kind, memberships, representatives."""
    Partnership = apps.get_model("partnerships", "Partnership")
    PartnershipStaff = apps.get_model("partnerships", "PartnershipStaff")
    partnerships = {p.acronym: p for p in Partnership.objects.all()}
    ecosystems = {e.code: e for e in IndustrialEcosystem.objects.all()}
    sectors = {s.code: s for s in Sector.objects.all()}
    now = timezone.now()
    by_key: dict[str, Organisation] = {}
    for spec in ORGS:
        partnership = partnerships[spec.partnership]
        city = _city(spec.country, spec.city)
        staff = PartnershipStaff.objects.filter(partnership=partnership).select_related("user")
        decider = staff.first().user if staff.exists() else None
        decided = spec.status in (S.VALIDATED, S.REJECTED)
        org, _ = Organisation.objects.update_or_create(
            legal_name=spec.name,
            defaults={
                "org_type": spec.org_type,
                "scaleup_subtype": spec.subtype,
                "public_authority_level": spec.level,
                "size": spec.size,
                "country": spec.country,
                "city": city,
                "city_name": city.name if city else spec.city,
                "latitude": city.latitude if city else None,
                "longitude": city.longitude if city else None,
                "website": f"https://{spec.key}.example.eu",
                "eccp_profile_id": f"ECCP-{zlib.crc32(spec.key.encode()) % 100000:05d}"
                if spec.org_type == T.CLUSTER
                else "",
                "description": spec.description,
                "keywords": sorted(spec.keywords),
                "validating_partnership": partnership,
                "status": spec.status,
                "status_reason": spec.reason,
                "submitted_at": None if spec.status == S.DRAFT else now - timedelta(days=20),
                "decided_at": now - timedelta(days=10) if decided else None,
                "decided_by": decider if decided else None,
            },
        )
        org.ecosystems.set([ecosystems[c] for c in spec.ecosystems])
        org.sectors.set([sectors[c] for c in spec.sectors])
        if spec.org_type == T.CLUSTER and spec.status == S.VALIDATED:
            partnership.members.add(org)
        first, last, role = spec.rep
        user = demo_user(
            ctx,
            email=f"{spec.key}@demo.cxc.local",
            first_name=first,
            last_name=last,
            role="applicant",
            note=spec.note,
        )
        Representative.objects.update_or_create(
            user=user,
            organisation=org,
            defaults={
                "role_title": role,
                "date_of_birth": date(1975 + len(spec.key) % 20, 1 + len(spec.name) % 12, 14),
                "nationality": spec.country,
                "status": RepresentativeStatus.ACTIVE,
                "approved_by": user,
            },
        )
        if org.created_by_id is None:
            org.created_by = user
            org.save(update_fields=["created_by"])
        if spec.extra.get("easme"):
            support = (
                apps.get_model("accounts", "User").objects.filter(is_support_office=True).first()
            )
            EasmePreApproval.objects.update_or_create(
                organisation=org,
                defaults={
                    "reference": spec.extra["easme"],
                    "granted_on": ctx.today - timedelta(days=30),
                    "notes": "Case-by-case assessment: no cluster in the region's ceramics sector.",
                    "recorded_by": support,
                },
            )
        by_key[spec.key] = org
    for spec in ORGS:
        for cluster_key in spec.members_of:
            ClusterMembership.objects.get_or_create(
                member=by_key[spec.key], cluster=by_key[cluster_key]
            )
    # A pending request to join, for the representatives' and staff's side of the journey.
    joiner = demo_user(
        ctx,
        email="joiner@demo.cxc.local",
        first_name="Rita",
        last_name="Sousa",
        role="applicant (asked to join)",
        note="asked to join Douro Smart Farming (pending)",
    )
    Representative.objects.get_or_create(
        user=joiner,
        organisation=by_key["douro-farming"],
        defaults={
            "role_title": "Sales manager",
            "date_of_birth": date(1990, 6, 2),
            "nationality": "PT",
            "status": RepresentativeStatus.PENDING,
        },
    )
    counts = {s: sum(1 for o in ORGS if o.status == s) for s in S.values}
    ctx.say(
        f"{len(ORGS)} organisations ("
        + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        + f") in {len({o.country for o in ORGS})} countries."
    )
