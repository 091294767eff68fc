"""Admin: the Support Office maintains partnerships and their staff here.

Expressions of interest and matches are read-only in the admin: their workflow (decisions,
notifications, audit) only runs through the services, i.e. the portal's pages.
"""

from django.contrib import admin
from django.db import models

from .models import ExpressionOfInterest, Match, Partnership, PartnershipStaff


class PartnershipStaffInline(admin.TabularInline):
    model = PartnershipStaff
    extra = 0
    autocomplete_fields = ("user",)
    fields = (
        "user",
        "can_validate_profiles",
        "can_approve_exchanges",
        "can_pay",
        "can_sign",
    )


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("acronym", "name", "contact_email", "valid_from", "valid_until")
    list_filter = ("ecosystems",)
    search_fields = ("acronym", "name", "description")
    prepopulated_fields = {"slug": ("acronym",)}
    # Not autocomplete for members: the organisations room owns the Organisation admin.
    filter_horizontal = ("ecosystems", "members")
    inlines = (PartnershipStaffInline,)
    # Django 6's default scheme; said now, so Django 5.2 does not warn (RemovedInDjango60Warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(PartnershipStaff)
class PartnershipStaffAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "partnership",
        "can_validate_profiles",
        "can_approve_exchanges",
        "can_pay",
        "can_sign",
    )
    list_filter = ("partnership", "can_validate_profiles", "can_approve_exchanges", "can_sign")
    search_fields = ("user__email", "user__first_name", "user__last_name", "partnership__acronym")
    autocomplete_fields = ("user", "partnership")
    list_select_related = ("user", "partnership")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "partnership", "role", "status", "created_at", "decided_at")
    list_filter = ("status", "role", "partnership")
    search_fields = ("organisation__legal_name", "partnership__acronym")
    list_select_related = ("organisation", "partnership")
    date_hierarchy = "created_at"


@admin.register(Match)
class MatchAdmin(ReadOnlyAdmin):
    list_display = ("visitor", "host", "vop", "hop", "score", "status", "created_at")
    list_filter = ("status", "vop", "hop")
    search_fields = ("visitor__legal_name", "host__legal_name")
    list_select_related = ("visitor", "host", "vop", "hop")
    date_hierarchy = "created_at"
