"""The portal's user: one person, logging in with an e-mail address."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person using the portal. E-mail is the login; there is no username.

    Roles are not stored here but derived (see ``accounts.roles``): a user is an applicant when
    they represent an organisation, partnership staff when they belong to a partnership's staff,
    and Support Office when ``is_support_office`` is set by a superuser.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    is_support_office = models.BooleanField(
        _("Support Office"),
        default=False,
        help_text=_("Member of the ClusterXchange Support Office: sees the whole programme."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} <{self.email}>" if full else self.email
