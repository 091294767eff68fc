"""Issue 12: every organisation's accepted interests' tokens (match_interest_tokens), in chunks."""

from django.db import migrations

CHUNK = 5000


def backfill(apps, schema_editor):
    from partnerships.services.match_tokens import ROLE_PREFIX

    Organisation = apps.get_model("organisations", "Organisation")
    Interest = apps.get_model("partnerships", "ExpressionOfInterest")
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        tokens: dict[int, set[str]] = {pk: set() for pk in chunk}
        accepted = Interest.objects.filter(organisation_id__in=chunk, status="accepted")
        for pk, role, activities, countries in accepted.values_list(
            "organisation_id", "role", "activity_types", "preferred_countries"
        ):
            r = ROLE_PREFIX[role]
            tokens[pk] |= {f"{r}:a:{a}" for a in activities or []}
            tokens[pk] |= {f"{r}:p:{c}" for c in (countries or "").split(",") if c}
        for pk, role, code in Interest.ecosystems.through.objects.filter(
            expressionofinterest__organisation_id__in=chunk,
            expressionofinterest__status="accepted",
        ).values_list(
            "expressionofinterest__organisation_id",
            "expressionofinterest__role",
            "industrialecosystem__code",
        ):
            tokens[pk].add(f"{ROLE_PREFIX[role]}:e:{code}")
        rows = [
            Organisation(pk=pk, match_interest_tokens=dict.fromkeys(sorted(t), True))
            for pk, t in tokens.items()
        ]
        Organisation.objects.bulk_update(rows, ["match_interest_tokens"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0007_speed3_match_encoded"),
        ("organisations", "0010_match_tokens"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
