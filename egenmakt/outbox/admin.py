from django.contrib import admin

from .models import OutgoingEmail, OutgoingSms


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin[OutgoingEmail]):
    """Delivery status for the administrator; the text itself is not shown."""

    list_display = ["purpose", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["status", "purpose"]
    fields = ("purpose", "status", "attempts", "last_error", "created_at", "sent_at")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(OutgoingSms)
class OutgoingSmsAdmin(admin.ModelAdmin[OutgoingSms]):
    """Delivery status for the administrator; neither the number nor the text is shown."""

    list_display = ["purpose", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["status", "purpose"]
    fields = ("purpose", "status", "attempts", "provider_id", "last_error", "created_at", "sent_at")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
