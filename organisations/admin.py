"""Admin of the organisations room: reference data (Support Office) and the profiles.

The Support Office maintains the reference data here (R-ELIG-8: participating countries are
dated rows). Workflow fields (status, decisions) are read-only: they change only through the
services, which audit them; any other change made here is audited too.
"""

from django.contrib import admin
from django.db import models

from cxc_portal.audit.services import record

from .models import (
    City,
    ClusterMembership,
    EasmePreApproval,
    IndustrialEcosystem,
    Organisation,
    ParticipatingCountry,
    Representative,
    Sector,
)
from .services import cluster_member_facts_refresh, organisation_facts_refresh


class SupportOfficeAdmin(admin.ModelAdmin):
    """The Support Office (and superusers) manage these models without per-model grants;
    every save and delete is written to the audit log."""

    def _is_support(self, request) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.is_support_office)

    def has_module_permission(self, request):
        return self._is_support(request) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._is_support(request) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._is_support(request) or super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return self._is_support(request) or super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_support(request) or super().has_delete_permission(request, obj)

    def _audit(self, request, obj, verb: str, changed=()):
        record(
            actor=request.user,
            action=f"organisations.{obj._meta.model_name}.admin_{verb}",
            subject=obj,
            data={"changed": list(changed)},
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._audit(request, obj, "changed" if change else "added", form.changed_data)

    def delete_model(self, request, obj):
        self._audit(request, obj, "deleted")
        super().delete_model(request, obj)


@admin.register(ParticipatingCountry)
class ParticipatingCountryAdmin(SupportOfficeAdmin):
    list_display = ("country", "is_eu_member", "valid_from", "valid_until")
    list_filter = ("is_eu_member",)
    list_editable = ("valid_from", "valid_until")
    ordering = ("country",)


@admin.register(IndustrialEcosystem)
class IndustrialEcosystemAdmin(SupportOfficeAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Sector)
class SectorAdmin(SupportOfficeAdmin):
    list_display = ("code", "name")
    search_fields = ("name", "code")


@admin.register(City)
class CityAdmin(SupportOfficeAdmin):
    list_display = ("name", "country", "latitude", "longitude", "population")
    list_filter = ("country",)
    search_fields = ("name", "ascii_name")
    ordering = ("country", "-population")


class MembershipInline(admin.TabularInline):
    model = ClusterMembership
    fk_name = "member"
    extra = 0
    raw_id_fields = ("cluster",)


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    raw_id_fields = ("user", "approved_by")
    fields = (
        "user",
        "role_title",
        "status",
        "is_signatory",
        "date_of_birth",
        "declares_adult",
        "nationality",
        "residence_permit_since",
    )


class EasmeInline(admin.StackedInline):
    model = EasmePreApproval
    extra = 0
    readonly_fields = ("recorded_by", "recorded_at")


@admin.register(Organisation)
class OrganisationAdmin(SupportOfficeAdmin):
    list_display = (
        "legal_name",
        "org_type",
        "country",
        "city_name",
        "status",
        "validating_partnership",
    )
    list_filter = ("status", "org_type", "country", "validating_partnership")
    search_fields = ("legal_name", "city_name", "eccp_profile_id")
    raw_id_fields = ("city",)
    filter_horizontal = ("sectors", "ecosystems")
    readonly_fields = (
        "status",
        "status_reason",
        "submitted_at",
        "decided_at",
        "decided_by",
        "created_by",
        "created_at",
        "updated_at",
    )
    inlines = (MembershipInline, RepresentativeInline, EasmeInline)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The facts the services keep on the row: the keywords, ecosystems and sectors change
        # the matching tokens (R-MATCH-1); the memberships inline and the type what "member of
        # a validated cluster" means for it and for its own members (R-ELIG-4).
        organisation_facts_refresh(form.instance)


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(SupportOfficeAdmin):
    list_display = ("member", "cluster", "since")
    search_fields = ("member__legal_name", "cluster__legal_name")
    raw_id_fields = ("member", "cluster")

    # R-ELIG-4: every change of a membership recomputes its members' "member of a validated
    # cluster" fact (``Organisation.in_validated_cluster``), the old member's too.
    def save_model(self, request, obj, form, change):
        before = ClusterMembership.objects.filter(pk=obj.pk).values_list("member_id", flat=True)
        old_members = list(before) if change else []
        super().save_model(request, obj, form, change)
        cluster_member_facts_refresh(member_ids=[obj.member_id, *old_members])

    def delete_model(self, request, obj):
        member_id = obj.member_id
        super().delete_model(request, obj)
        cluster_member_facts_refresh(member_ids=[member_id])

    def delete_queryset(self, request, queryset):
        member_ids = list(queryset.values_list("member_id", flat=True))
        super().delete_queryset(request, queryset)
        cluster_member_facts_refresh(member_ids=member_ids)


@admin.register(Representative)
class RepresentativeAdmin(SupportOfficeAdmin):
    list_display = ("user", "organisation", "role_title", "status", "nationality")
    list_filter = ("status",)
    search_fields = ("user__email", "organisation__legal_name")
    raw_id_fields = ("user", "organisation", "approved_by")


@admin.register(EasmePreApproval)
class EasmePreApprovalAdmin(SupportOfficeAdmin):
    list_display = ("organisation", "reference", "granted_on", "recorded_by")
    search_fields = ("reference", "organisation__legal_name")
    raw_id_fields = ("organisation",)
    readonly_fields = ("recorded_by", "recorded_at")

    def save_model(self, request, obj, form, change):
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
