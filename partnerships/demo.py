"""Demo steps of the partnerships room: the 15 partnerships with their staff, then interests
and matches (run after the organisations step)."""

from datetime import date, timedelta

from cxc_portal.core.demo import SeedContext, demo_user
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
                "valid_from": date(2022, 1, 1),
            },
        )
        partnership.ecosystems.set([ecosystems[c] for c in eco_codes])
        user = demo_user(
            ctx,
            email=f"staff.{acronym.lower()}@cxc.local",
            first_name=acronym,  # as written: "HEALTH-XC", never .title()'s "Health-Xc"
            last_name="Officer",
            role=f"partnership staff ({acronym})",
            mfa=True,
        )
        PartnershipStaff.objects.update_or_create(
            user=user,
            partnership=partnership,
            defaults={"can_sign": True},  # R-DOC-2, R-DOC-3: demo staff sign the documents
            create_defaults={
                "can_validate_profiles": True,
                "can_approve_exchanges": True,
                "can_pay": True,
                "can_sign": True,
            },
        )
    ctx.say(f"{len(PARTNERSHIPS)} partnerships with their staff.")


def seed_interests_and_matches(ctx: SeedContext) -> None:
    """Expressions of interest and matches between the demo organisations (idempotent).

    Works with whatever validated organisations exist: visitors and hosts are chosen with the
    eligibility engine among organisations that have an active representative (organisations
    that already have demo interests first, so a second run picks the same ones). Everything
    goes through the services (so the audit trail and notifications are real): accepted visitor
    and host interests, submitted ones waiting in the inboxes, one declined with a reason, two
    proposed matches and two accepted matches (for the exchanges step to encode).
    """
    from django.core.exceptions import ValidationError

    from organisations.choices import ParticipantRole, ProfileStatus
    from organisations.models import Organisation, Representative, RepresentativeStatus
    from organisations.selectors import eligibility_queryset, organisation_eligibility_map

    from . import selectors, services
    from .models import ACTIVE_MATCH_STATUSES, ExpressionOfInterest, InterestStatus, Match

    today = ctx.today
    partnerships = list(Partnership.objects.valid_on(today).order_by("acronym"))
    if not partnerships:
        ctx.say("No active partnership: no interests or matches seeded.")
        return
    orgs = list(
        eligibility_queryset(Organisation.objects.filter(status=ProfileStatus.VALIDATED))
        .select_related("validating_partnership")
        .prefetch_related("ecosystems")
        .order_by("pk")
    )
    verdicts = organisation_eligibility_map(orgs, today=today)
    reps: dict[int, object] = {}
    for rep in (
        Representative.objects.filter(status=RepresentativeStatus.ACTIVE)
        .select_related("user")
        .order_by("created_at", "pk")
    ):
        reps.setdefault(rep.organisation_id, rep.user)
    existing = {
        (i.organisation_id, i.role)
        for i in ExpressionOfInterest.objects.only("organisation", "role")
    }

    def pick(role: str, count: int, exclude: set[int]) -> list[Organisation]:
        ok = [
            o
            for o in orgs
            if o.pk in reps
            and o.pk not in exclude
            and ((o.pk, role) in existing or verdicts[o.pk].for_role(role).allowed)
        ]
        ok.sort(key=lambda o: ((o.pk, role) not in existing, o.pk))
        return ok[:count]

    visitors = pick(ParticipantRole.VISITOR, 6, set())
    hosts = pick(ParticipantRole.HOST, 6, {o.pk for o in visitors})
    if not visitors or not hosts:
        ctx.say("Not enough eligible organisations with representatives: no interests seeded.")
        return

    def partnership_for(org: Organisation, n: int) -> Partnership:
        chosen = org.validating_partnership
        if chosen is None or not chosen.is_valid_on(today):
            chosen = partnerships[n % len(partnerships)]
        return chosen

    def staff_of(partnership: Partnership):
        row = partnership.staff.select_related("user").order_by("pk").first()
        return row.user if row else None

    def ensure_interest(org, role, n, outcome, reason=""):
        partnership = partnership_for(org, n)
        found = (
            ExpressionOfInterest.objects.filter(organisation=org, role=role)
            .order_by("-created_at")
            .first()
        )
        if found is not None:
            return found
        others = [
            str(c.code) for c in partnership.countries if str(c.code) != str(org.country.code)
        ]
        try:
            interest = services.interest_submit(
                actor=reps[org.pk],
                organisation=org,
                partnership=partnership,
                role=role,
                objectives=(
                    f"{org.legal_name} wants to learn how clusters abroad run open-innovation "
                    "programmes and to meet partners for joint projects."
                    if role == ParticipantRole.VISITOR
                    else f"{org.legal_name} offers a week of workshops, company visits and "
                    "matchmaking with its members."
                ),
                activity_types=(
                    ["knowledge_sharing", "networking"]
                    if role == ParticipantRole.VISITOR
                    else ["knowledge_sharing", "networking", "project_development"]
                ),
                preferred_countries=others[:3],
                ecosystems=list(org.ecosystems.all()),
                period_from=today + timedelta(days=30),
                period_until=today + timedelta(days=180),
                can_host_several=role == ParticipantRole.HOST,
                today=today,
            )
            staff = staff_of(partnership)
            if staff is not None and outcome == InterestStatus.ACCEPTED:
                interest = services.interest_accept(
                    actor=staff, interest=interest, note="Welcome aboard!", today=today
                )
            elif staff is not None and outcome == InterestStatus.DECLINED:
                interest = services.interest_decline(actor=staff, interest=interest, reason=reason)
        except ValidationError as exc:
            ctx.say(f"  skipped an interest of {org.legal_name}: {' '.join(exc.messages)}")
            return None
        return interest

    accepted, submitted, declined = (
        InterestStatus.ACCEPTED,
        InterestStatus.SUBMITTED,
        (InterestStatus.DECLINED),
    )
    v_plan = [accepted, accepted, accepted, accepted, submitted, declined]
    h_plan = [accepted, accepted, accepted, accepted, submitted, submitted]
    v_interests = [
        ensure_interest(
            o,
            ParticipantRole.VISITOR,
            n,
            v_plan[n],
            "Your objectives fit another partnership's ecosystems better: please contact it.",
        )
        for n, o in enumerate(visitors)
    ]
    h_interests = [
        ensure_interest(o, ParticipantRole.HOST, n, h_plan[n]) for n, o in enumerate(hosts)
    ]
    ready_v = [i for i in v_interests if i is not None and i.status == accepted]
    ready_h = [i for i in h_interests if i is not None and i.status == accepted]

    def pair_exists(visitor, host) -> bool:
        return Match.objects.filter(visitor=visitor, host=host).exists()

    def host_for(v_interest, used: set[int]):
        """The best-scoring ready host (R-MATCH-2 ranking) not used yet."""
        ready = {h.organisation_id: h for h in ready_h}
        result = selectors.matching_for_interest(interest=v_interest, today=today)
        for candidate in result.candidates:
            pk = candidate.organisation.pk
            if pk in ready and pk not in used and candidate.affinity.possible:
                return ready[pk]
        return None

    used: set[int] = set()
    made = {"accepted": 0, "proposed": 0}
    for n, v_interest in enumerate(ready_v):
        visitor = v_interest.organisation
        if Match.objects.filter(visitor=visitor, status__in=ACTIVE_MATCH_STATUSES).exists():
            continue  # a second run: this visitor already has its match
        h_interest = host_for(v_interest, used)
        if h_interest is None:
            break
        host = h_interest.organisation
        used.add(host.pk)
        if pair_exists(visitor, host):
            continue
        try:
            if n == 3:  # the host proposes this one
                match = services.match_propose(
                    actor=reps[host.pk],
                    interest=h_interest,
                    counterpart=visitor,
                    message="We would be glad to welcome you for a week.",
                    today=today,
                )
            else:
                match = services.match_propose(
                    actor=reps[visitor.pk],
                    interest=v_interest,
                    counterpart=host,
                    message="Could we visit you to learn about your programmes?",
                    today=today,
                )
            if n < 2:
                services.match_accept(actor=reps[host.pk], match=match, today=today)
                made["accepted"] += 1
            else:
                made["proposed"] += 1
        except ValidationError as exc:
            ctx.say(f"  skipped a match {visitor} → {host}: {' '.join(exc.messages)}")
    counts = {
        s: ExpressionOfInterest.objects.filter(status=s).count() for s in InterestStatus.values
    }
    match_counts = {s: Match.objects.filter(status=s).count() for s in ("proposed", "accepted")}
    ctx.say(
        "Expressions of interest: "
        + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        + f"; matches: {match_counts['accepted']} accepted, {match_counts['proposed']} proposed"
        + (f" ({made['accepted']} + {made['proposed']} new)." if any(made.values()) else ".")
    )
    for m in Match.objects.filter(status__in=ACTIVE_MATCH_STATUSES).select_related(
        "visitor", "host"
    ):
        who = reps.get(m.visitor_id)
        ctx.say(
            f"  match {m.visitor} → {m.host} ({m.get_status_display().lower()}, score {m.score})"
            + (f": sign in as {who.email}" if who else "")
        )
