"""The sign-up form's extra questions: the person's name, so that the portal greets people
by name rather than by e-mail address (allauth's adapter stores them on the user)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupNameForm(forms.Form):
    """Asked by allauth's sign-up form (``ACCOUNT_SIGNUP_FORM_CLASS``) before the e-mail."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )

    def clean_first_name(self) -> str:
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self) -> str:
        return self.cleaned_data["last_name"].strip()

    def signup(self, request, user) -> None:
        """allauth's hook; ``DefaultAccountAdapter.save_user`` has already stored the names."""
