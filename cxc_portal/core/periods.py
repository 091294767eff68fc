"""One dated-period base: reference data and records that are valid from one day until another.

A period runs from ``valid_from`` to ``valid_until`` **inclusive**; an empty ``valid_until`` means
"until further notice". "Valid on a day" is computed one way, here, in the database
(:meth:`PeriodQuerySet.valid_on`) and in Python (:meth:`DatedPeriod.is_valid_on`).

Two invariants live in the database:

- the period is ordered (``valid_until >= valid_from``): :func:`period_ordered_constraint`,
  a ``CheckConstraint`` to add to the model's ``Meta.constraints``;
- periods of the same partition (e.g. the rates of one host country) never overlap:
  :class:`NoOverlap`, a migration operation — an exclusion constraint on PostgreSQL
  (``daterange`` with ``&&``, through ``btree_gist``) and two triggers on SQLite, which has no
  exclusion constraints. Both raise ``IntegrityError``; forms get a friendly message first from
  :meth:`DatedPeriod.clean`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.migrations.operations.base import Operation
from django.db.models import F, Q
from django.db.models.signals import post_migrate
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PeriodQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> PeriodQuerySet:
        """The rows whose period contains ``day`` (bounds included)."""
        return self.filter(valid_from__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def overlapping(self, start: date, end: date | None) -> PeriodQuerySet:
        """The rows whose period shares at least one day with ``start``–``end`` (``None`` =
        open-ended)."""
        rows = self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        if end is not None:
            rows = rows.filter(valid_from__lte=end)
        return rows


class DatedPeriod(models.Model):
    """Abstract base of every dated row. Subclasses name the fields that partition the
    no-overlap rule in ``period_partition`` (empty: periods may overlap freely)."""

    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Last day included; leave empty for 'until further notice'."),
    )

    period_partition: ClassVar[tuple[str, ...]] = ()
    #: The name of the no-overlap constraint added by the :class:`NoOverlap` migration
    #: operation (empty: none). Lets :func:`restore_sqlite_triggers` find it again.
    period_overlap_name: ClassVar[str] = ""

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)

    def period_refusals(self) -> dict[str, str]:
        """The field errors of this period: disordered bounds, or an overlap with a sibling of
        the same partition. Read by :meth:`clean` and by services before they save."""
        if self.valid_from is None:
            return {}
        if self.valid_until is not None and self.valid_until < self.valid_from:
            return {"valid_until": gettext("The period cannot end before it starts.")}
        if not self.period_partition:
            return {}
        same_partition = PeriodQuerySet(model=type(self)).filter(
            **{f: getattr(self, f) for f in self.period_partition}
        )
        siblings = (
            same_partition.overlapping(self.valid_from, self.valid_until)
            .exclude(pk=self.pk)
            .order_by("valid_from")
            .first()
        )
        if siblings is None:
            return {}
        until = (
            date_format(siblings.valid_until, "j M Y")
            if siblings.valid_until
            else gettext("further notice")
        )
        return {
            "valid_from": gettext(
                "This period overlaps another one, valid from %(start)s until %(end)s: end that "
                "one first or choose other dates."
            )
            % {"start": date_format(siblings.valid_from, "j M Y"), "end": until}
        }

    def clean(self) -> None:
        super().clean()
        errors = self.period_refusals()
        if errors:
            raise ValidationError(errors)


def period_ordered_constraint(name: str) -> models.CheckConstraint:
    """``valid_until`` is empty or not before ``valid_from``."""
    return models.CheckConstraint(
        condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
        name=name,
    )


class NoOverlap(Operation):
    """Migration operation: no two rows of ``model_name`` with equal ``partition`` columns have
    overlapping periods. An exclusion constraint on PostgreSQL, triggers on SQLite.

    SQLite: a later migration that makes Django rebuild the table (``AlterField``,
    ``RemoveField``…: SQLite copies the rows into a new table) drops its triggers. So the model
    names the constraint too (``period_overlap_name``) and :func:`restore_sqlite_triggers` runs
    after every ``migrate`` and re-creates any trigger a rebuild dropped. A test inserts an
    overlapping row and expects ``IntegrityError``.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str, partition: tuple[str, ...], name: str):
        self.model_name = model_name
        self.partition = tuple(partition)
        self.name = name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__name__,
            [],
            {"model_name": self.model_name, "partition": self.partition, "name": self.name},
        )

    def state_forwards(self, app_label, state) -> None:
        """The constraint lives in the database only; the model state is unchanged."""

    def _columns(self, model) -> list[str]:
        return [model._meta.get_field(f).column for f in self.partition]

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model = to_state.apps.get_model(app_label, self.model_name)
        table = schema_editor.quote_name(model._meta.db_table)
        cols = [schema_editor.quote_name(c) for c in self._columns(model)]
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            parts = ", ".join(f"{c} WITH =" for c in cols)
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
            schema_editor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {schema_editor.quote_name(self.name)} "
                f"EXCLUDE USING gist ({parts}{', ' if parts else ''}"
                "daterange(valid_from, valid_until, '[]') WITH &&)"
            )
        elif vendor == "sqlite":
            for statement in _sqlite_triggers(table, cols, self.name):
                schema_editor.execute(statement)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        model = from_state.apps.get_model(app_label, self.model_name)
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} "
                f"DROP CONSTRAINT IF EXISTS {schema_editor.quote_name(self.name)}"
            )
        elif vendor == "sqlite":
            for event in ("insert", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {self.name}_{event}")

    def describe(self) -> str:
        return f"No overlapping periods of {self.model_name} per {', '.join(self.partition)}"


def _sqlite_triggers(table: str, cols: list[str], name: str) -> list[str]:
    same = " AND ".join(f"o.{c} = NEW.{c}" for c in cols) or "1"
    overlap = (
        f"SELECT 1 FROM {table} o WHERE {same} AND o.id != NEW.id "
        "AND (o.valid_until IS NULL OR o.valid_until >= NEW.valid_from) "
        "AND (NEW.valid_until IS NULL OR o.valid_from <= NEW.valid_until)"
    )
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name}_{event.lower()} BEFORE {event} ON {table} "
        f"FOR EACH ROW WHEN EXISTS ({overlap}) "
        f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
        for event in ("INSERT", "UPDATE")
    ]


def restore_sqlite_triggers(using: str = "default", **kwargs: Any) -> None:
    """After ``migrate`` on SQLite: re-create the no-overlap triggers that a table rebuild
    dropped (``CREATE TRIGGER IF NOT EXISTS``: a no-op when they are there)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not issubclass(model, DatedPeriod) or not model.period_overlap_name:
                continue
            if model._meta.db_table not in tables:
                continue
            name = model.period_overlap_name
            cols = [
                quote(model._meta.get_field(f).get_attname_column()[1] or f)  # type: ignore[union-attr]
                for f in model.period_partition
            ]
            for statement in _sqlite_triggers(quote(model._meta.db_table), cols, name):
                cursor.execute(statement)


post_migrate.connect(restore_sqlite_triggers, dispatch_uid="cxc_periods_sqlite_triggers")
