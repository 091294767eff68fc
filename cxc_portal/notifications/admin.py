from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "to_email",
        "subject",
        "sent_at",
        "attempts",
        "undeliverable_at",
    ]
    list_filter = ["kind", "sent_at", "undeliverable_at"]
    search_fields = ["to_email", "subject", "dedup_key"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
