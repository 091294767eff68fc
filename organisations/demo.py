"""Demo step of the organisations room: a realistic spread of profiles (run after the
partnerships step). Idempotent: every row is found or created by a natural key."""

from __future__ import annotations

import zlib
from datetime import date, timedelta

from django.apps import apps
from django.utils import timezone

from cxc_portal.core.demo import SeedContext, demo_user

from .choices import OrganisationType as T
from .choices import ProfileStatus as S
from .demo_orgs import ORGS
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
from .services import cluster_member_facts_refresh


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
    # R-ELIG-4: what the services keep on the row when they set memberships.
    cluster_member_facts_refresh(member_ids=[o.pk for o in by_key.values()])
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
