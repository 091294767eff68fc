"""Filters of the staff exchange list: status, partnership, country, mode, dates, search — and
the drill-down filters behind every dashboard number (``DRILL_DOWN``: stay start period, VOP,
hosting HOP, countries, ecosystem, counted flag, payment state, final reports' state), which
the page shows only when set, so that they cost no query otherwise."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cxc_portal.core.search import SearchFilter
from organisations.models import IndustrialEcosystem
from organisations.selectors import participating_country_codes
from partnerships.models import Partnership

from .calendar import country_name
from .models import KPI_COUNTED_STATUSES, REPORT_FACTS, Exchange, ExchangeMode, ExchangeStatus
from .selectors import partnership_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

#: R-DOC-4: the final activity reports are due this many days after the stay's last day (the
#: reports room's ``far_rules.FAR_DUE_DAYS``, which this room may not import; a test checks
#: that they agree).
FAR_DUE_DAYS = 7
#: The two reports of an exchange, by the reports room's ``FinalReportSide`` values.
FAR_SIDES = tuple(REPORT_FACTS)
#: The drill-down values of the ``report`` filter (``final_report_state_q``).
FAR_STATES = ("on_time", "late", "overdue", "submitted")


def final_report_state_q(state: str, today: date) -> Q:
    """R-DOC-4: an exchange's final reports (Annex 2 of the host, Annex 3 of the visitor), as
    one state per exchange — the drill-down of the dashboards' final-report figures, and the
    very condition ``reports.kpi`` counts with (so a number and its list always agree):

    - ``on_time``: both reports submitted, each first submitted on or before its due date
      (end date + 7 days);
    - ``late``: both submitted, at least one first submitted after its due date;
    - ``overdue``: the due date has passed and a report is still not submitted;
    - ``submitted``: at least one report submitted (the reports behind a satisfaction average).

    Only exchanges in a state that has reports (contracted, executed or closed). Read from the
    exchange's own "report first submitted" facts (``visitor_report_at``/``host_report_at``,
    kept by the reports room at the first submission, as the work queues read them): no
    subquery on the reports. The day of a submission is its local day (``__date``, as
    ``far_rules.far_is_late`` reads it). A report returned for a correction counts by its first
    submission (R-DOC-6).
    """
    due = F("end_date") + timedelta(days=FAR_DUE_DAYS)
    fields = [REPORT_FACTS[side] for side in FAR_SIDES]
    both = Q(**{f"{field}__isnull": False for field in fields})
    missing = Q(**{f"{fields[0]}__isnull": True}) | Q(**{f"{fields[1]}__isnull": True})
    late = Q(**{f"{fields[0]}__date__gt": due}) | Q(**{f"{fields[1]}__date__gt": due})
    states = {
        "on_time": both & ~late,
        "late": both & late,
        "overdue": Q(end_date__lt=today - timedelta(days=FAR_DUE_DAYS)) & missing,
        "submitted": Q(**{f"{fields[0]}__isnull": False}) | Q(**{f"{fields[1]}__isnull": False}),
    }
    return Q(status__in=KPI_COUNTED_STATUSES) & states[state]


@lru_cache(maxsize=64)
def country_choices(codes: frozenset[str], language: str | None) -> list[tuple[str, str]]:
    """The country filter's choices: ``codes`` (read from the database on every page) by their
    name in ``language``. Cached per process on exactly these arguments — nothing to
    invalidate: other codes or another language is another entry (issue 12: naming and sorting
    the ~40 countries on every page cost more than their query)."""
    return sorted(((code, country_name(code)) for code in codes), key=lambda c: c[1])


class ExchangeFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Organisation or reference"), method="filter_search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ExchangeStatus.choices)
    partnership = django_filters.ModelChoiceFilter(
        label=_("Partnership (VOP or HOP)"),
        queryset=lambda request: partnership_choices(),
        method="filter_partnership",
    )
    country = django_filters.ChoiceFilter(
        label=_("Country (visitor or host)"), choices=(), method="filter_country"
    )
    mode = django_filters.ChoiceFilter(label=_("Mode"), choices=ExchangeMode.choices)
    stay_from = django_filters.DateFilter(
        label=_("Stay on or after"), field_name="end_date", lookup_expr="gte", widget=DATE_INPUT
    )
    stay_until = django_filters.DateFilter(
        label=_("Stay on or before"),
        field_name="start_date",
        lookup_expr="lte",
        widget=DATE_INPUT,
    )

    # --- drill-down from the dashboards (reports/kpi.py links here) ---------------------------
    start_from = django_filters.DateFilter(
        label=_("Stay starts on or after"),
        field_name="start_date",
        lookup_expr="gte",
        widget=DATE_INPUT,
    )
    start_until = django_filters.DateFilter(
        label=_("Stay starts on or before"),
        field_name="start_date",
        lookup_expr="lte",
        widget=DATE_INPUT,
    )
    vop = django_filters.ModelChoiceFilter(
        label=_("VOP"), queryset=Partnership.objects.all(), field_name="vop"
    )
    hop = django_filters.ModelChoiceFilter(
        label=_("Hosted as HOP for another VOP"),
        queryset=Partnership.objects.all(),
        method="filter_hosted",
    )
    host_country = django_filters.ChoiceFilter(
        label=_("Host's country"), choices=countries, field_name="host__country"
    )
    visitor_country = django_filters.ChoiceFilter(
        label=_("Visitor's country"), choices=countries, field_name="visitor__country"
    )
    ecosystem = django_filters.ModelChoiceFilter(
        label=_("Visitor's industrial ecosystem"),
        queryset=IndustrialEcosystem.objects.all(),
        to_field_name="code",
        field_name="visitor__ecosystems",
        null_label=_("None given"),
    )
    counted = django_filters.ChoiceFilter(
        label=_("Counted for the KPIs"),
        choices=(("yes", _("Counted (contracted, executed or closed)")),),
        method="filter_counted",
    )
    payment = django_filters.ChoiceFilter(
        label=_("Lump sum"),
        choices=(
            ("committed", _("Committed")),
            ("paid", _("Paid")),
            ("on_time", _("Paid on time")),
            ("late", _("Paid late")),
            ("overdue", _("Overdue")),
        ),
        method="filter_payment",
    )
    report = django_filters.ChoiceFilter(
        label=_("Final reports"),
        choices=(
            ("on_time", _("Both submitted on time")),
            ("late", _("Both submitted, one or both late")),
            ("overdue", _("Overdue (not submitted, past due)")),
            ("submitted", _("At least one submitted")),
        ),
        method="filter_report",
    )

    #: The drill-down filters: rendered only when set (as a summary with hidden inputs).
    DRILL_DOWN = (
        "start_from",
        "start_until",
        "vop",
        "hop",
        "host_country",
        "visitor_country",
        "ecosystem",
        "counted",
        "payment",
        "report",
    )

    class Meta:
        model = Exchange
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = participating_country_codes(today=timezone.localdate())
        self.filters["country"].extra["choices"] = country_choices(codes, get_language())

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(visitor__legal_name__icontains=value)
            | Q(host__legal_name__icontains=value)
        )

    def filter_partnership(self, queryset, name, value):
        return queryset.filter(Q(vop=value) | Q(hop=value)) if value else queryset

    def filter_country(self, queryset, name, value):
        return (
            queryset.filter(Q(visitor__country=value) | Q(host__country=value))
            if value
            else queryset
        )

    def filter_hosted(self, queryset, name, value):
        """R-KPI-2: what a partnership hosts as HOP for another VOP (never in its own count)."""
        return queryset.filter(hop=value).exclude(vop=value) if value else queryset

    def filter_counted(self, queryset, name, value):
        """R-KPI-2: contracted, executed or closed — never a draft or a cancelled exchange."""
        return queryset.filter(status__in=KPI_COUNTED_STATUSES) if value else queryset

    def filter_payment(self, queryset, name, value):
        """The lump-sum state (R-PAY-4), read through the reverse relation by its field names:
        the payments room sits above this one and is never imported here (its status values
        "due" and "paid" are checked against ``payments.models.PaymentStatus`` by a test)."""
        paid = Q(payment__status="paid")
        states = {
            "committed": Q(payment__isnull=False),
            "paid": paid,
            "on_time": paid & Q(payment__paid_on__lte=F("payment__due_date")),
            "late": paid & Q(payment__paid_on__gt=F("payment__due_date")),
            "overdue": Q(payment__status="due", payment__due_date__lt=timezone.localdate()),
        }
        return queryset.filter(states[value]) if value in states else queryset

    def filter_report(self, queryset, name, value):
        """R-DOC-4: the exchanges behind a final-report figure (``final_report_state_q``)."""
        if value not in FAR_STATES:
            return queryset
        return queryset.filter(final_report_state_q(value, timezone.localdate()))

    @property
    def partnerships(self):
        """The partnership filter's choices: one evaluated queryset per page, which the field's
        options and the list's VOP/HOP acronyms both read (one query for both)."""
        return self.form.fields["partnership"].queryset

    @property
    def main_fields_html(self) -> list[SafeString]:
        """The filters always shown (not the drill-down ones), each as ``plain_field_html``."""
        return [plain_field_html(field) for field in self.form if field.name not in self.DRILL_DOWN]

    @property
    def drill_down(self) -> list[tuple[str, object, object]]:
        """The drill-down filters that are set and valid: (name, label, value shown)."""
        if not self.is_bound or not self.form.is_valid():
            return []
        shown = []
        for name in self.DRILL_DOWN:
            value = self.form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            field = self.form[name]
            if name == "ecosystem" and value == "null":
                value = _("None given")
            elif isinstance(value, str):
                value = dict(field.field.choices).get(value, value)
            shown.append((name, field.label, value))
        return shown


def _attrs_html(attrs: dict) -> str:
    return "".join(
        f' {name}="{escape(value)}"' if value is not True else f" {name}"
        for name, value in attrs.items()
        if value is not None and value is not False
    )


def _choices(field) -> list[tuple[str, str]]:
    """A select's (value, label) pairs; a model choice field reads its queryset's cached rows
    (iterating ``field.choices`` would run it again, through a server-side cursor)."""
    if isinstance(field, forms.ModelChoiceField):
        pairs = [("", field.empty_label)] if field.empty_label is not None else []
        key = field.to_field_name or "pk"
        return pairs + [
            (getattr(obj, key), field.label_from_instance(obj)) for obj in field.queryset
        ]
    return list(field.choices)


def plain_field_html(bound_field) -> SafeString:
    """One filter field with its label and its errors, in the very markup crispy-forms'
    Bootstrap 5 ``as_crispy_field`` gives (a test compares the two), built in Python: crispy's
    field template and Django's widget templates — one more template per select option — were
    a quarter of the exchange list's time (issue 12). Text, date and single selects only; any
    other widget (or a model choice with a null choice) is left to crispy."""
    field = bound_field.field
    widget = field.widget
    model_null = isinstance(field, forms.ModelChoiceField) and getattr(field, "null_label", None)
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected and not model_null:
        css = "select form-select"
    elif type(widget) is forms.DateInput:
        css = "dateinput form-control"
    elif type(widget) is forms.TextInput:
        css = "textinput form-control"
    else:
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(bound_field)
    auto_id = bound_field.auto_id
    errors = bound_field.errors
    attrs = {key: value for key, value in widget.attrs.items() if key != "type"}
    attrs["class"] = f"{css} is-invalid" if errors else css
    if errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{auto_id}_error"
    attrs["id"] = auto_id
    name = escape(bound_field.html_name)
    if css.startswith("select"):
        value = bound_field.value()
        # As ``ChoiceWidget.format_value``: no value selects the empty choice.
        values = value if isinstance(value, (list, tuple)) else [value]
        chosen = {"" if v is None else str(v) for v in values}
        options = "".join(
            f'<option value="{escape(option)}"{" selected" if str(option) in chosen else ""}>'
            f"{escape(label)}</option>"
            for option, label in _choices(field)
        )
        control = f'<select name="{name}"{_attrs_html(attrs)}>{options}</select>'
    else:
        value = widget.format_value(bound_field.value())
        shown = f' value="{escape(value)}"' if value is not None else ""
        control = f'<input type="{widget.input_type}" name="{name}"{shown}{_attrs_html(attrs)}>'
    error_html = ""
    if errors:
        error_html = (
            f'<div id="{auto_id}_error" class="invalid-feedback">'
            + "".join(
                f'<p id="error_{number}_{auto_id}"><strong>{escape(message)}</strong></p>'
                for number, message in enumerate(errors, start=1)
            )
            + "</div>"
        )
    return mark_safe(  # noqa: S308 - every value above is escaped
        f'<div id="div_{auto_id}" class="mb-3">'
        f'<label for="{auto_id}" class="form-label">{escape(bound_field.label)}</label>'
        f"{control}{error_html}</div>"
    )
