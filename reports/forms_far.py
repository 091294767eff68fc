"""The Final Activity Report questionnaire (R-DOC-4) and the reviewer's return form (R-DOC-6).

One form for Annex 2 (host) and Annex 3 (visitor): one 1–5 score per objective of the CTQ, the
action plan's activities as a checklist, then the same questions for both sides (the
satisfaction question names the other side). The form only shapes the input; what is allowed is
``far_rules.answer_refusals`` (the service calls it again), so the messages are the same
wherever a refusal comes from.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .far_rules import (
    LONG_TEXT_MAX,
    SCORE_MAX,
    SCORE_MIN,
    SHORT_TEXT_MAX,
    Answers,
    answer_refusals,
)
from .models import FinalReport, FinalReportSide

SCORE_CHOICES = [(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _score(label, help_text=""):
    return forms.IntegerField(
        label=label,
        required=False,
        widget=forms.RadioSelect(choices=SCORE_CHOICES),
        help_text=help_text or _("1 = poor, 5 = excellent."),
    )


def _yes_no(label):
    return forms.ChoiceField(label=label, required=False, choices=YES_NO, widget=forms.RadioSelect)


def _text(label, limit, rows=3):
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=_("At most %(max)d characters.") % {"max": limit},
    )


def _bool(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _choice(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class FinalReportForm(forms.Form):
    """``submitting``: the "Submit" button was pressed — every required answer must be there."""

    def __init__(
        self,
        *args,
        side: str,
        objectives: list[str],
        activities: list,
        report: FinalReport | None = None,
        submitting: bool = False,
        **kwargs,
    ):
        if report is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(report)
        super().__init__(*args, **kwargs)
        self.side = side
        self.objectives = objectives
        self.activity_ids = {a.pk for a in activities}
        self.submitting = submitting
        for index, objective in enumerate(objectives):
            self.fields[f"objective_{index}"] = _score(
                _("Objective met: %(objective)s") % {"objective": objective}
            )
        self.fields["activities"] = forms.TypedMultipleChoiceField(
            label=_("Which planned activities took place?"),
            required=False,
            coerce=int,
            choices=[(a.pk, f"{date_format(a.date, 'j M Y')} · {a.title}") for a in activities],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["results_achieved"] = _yes_no(_("Were results achieved?"))
        self.fields["results_text"] = _text(
            _("Which results? (a short description)"), SHORT_TEXT_MAX
        )
        self.fields["collaborations"] = _yes_no(_("Did new collaborations start?"))
        self.fields["collaborations_text"] = _text(
            _("Which collaborations? (a short description)"), SHORT_TEXT_MAX
        )
        self.fields["follow_up"] = _text(_("Follow-up plans"), LONG_TEXT_MAX, rows=4)
        counterpart = (
            _("Satisfaction with the visitor")
            if side == FinalReportSide.HOST
            else _("Satisfaction with the host")
        )
        self.fields["satisfaction_counterpart"] = _score(counterpart)
        self.fields["satisfaction_partnership"] = _score(_("Satisfaction with your partnership"))
        self.fields["satisfaction_overall"] = _score(_("Overall satisfaction"))
        self.fields["would_recommend"] = _yes_no(_("Would you recommend ClusterXchange?"))
        self.fields["comments"] = _text(_("Free comments (optional)"), LONG_TEXT_MAX, rows=4)
        self.helper = FormHelper()
        self.helper.form_tag = False

    @staticmethod
    def initial_from(report: FinalReport) -> dict:
        initial = {
            f"objective_{i}": item.get("score")
            for i, item in enumerate(report.objective_scores or [])
        }
        initial.update(
            activities=list(report.activities_done or []),
            results_achieved=_choice(report.results_achieved),
            results_text=report.results_text,
            collaborations=_choice(report.collaborations),
            collaborations_text=report.collaborations_text,
            follow_up=report.follow_up,
            satisfaction_counterpart=report.satisfaction_counterpart,
            satisfaction_partnership=report.satisfaction_partnership,
            satisfaction_overall=report.satisfaction_overall,
            would_recommend=_choice(report.would_recommend),
            comments=report.comments,
        )
        return initial

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            objective_scores=[data.get(f"objective_{i}") for i in range(len(self.objectives))],
            activities_done=list(data.get("activities") or []),
            results_achieved=_bool(data.get("results_achieved")),
            results_text=data.get("results_text") or "",
            collaborations=_bool(data.get("collaborations")),
            collaborations_text=data.get("collaborations_text") or "",
            follow_up=data.get("follow_up") or "",
            satisfaction_counterpart=data.get("satisfaction_counterpart"),
            satisfaction_partnership=data.get("satisfaction_partnership"),
            satisfaction_overall=data.get("satisfaction_overall"),
            would_recommend=_bool(data.get("would_recommend")),
            comments=data.get("comments") or "",
        )

    def clean(self):
        data = super().clean()
        for refusal in answer_refusals(
            self.answers(),
            objectives=self.objectives,
            activity_ids=self.activity_ids,
            complete=self.submitting,
        ):
            if refusal.field not in self.errors:  # one message per field: the first one
                self.add_error(refusal.field, refusal.text)
        return data


class ReturnForm(forms.Form):
    """R-DOC-6: what the author should correct (required)."""

    comment = forms.CharField(
        label=_("What should be corrected?"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The authors read it. At most %(max)d characters.") % {"max": LONG_TEXT_MAX},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
