from django.contrib import admin

from smartcommune.disclosure.models import InboundAddress


@admin.register(InboundAddress)
class InboundAddressAdmin(admin.ModelAdmin):
    """The communes' e-mail addresses and SMS numbers for feedback (docs/disclosure.md)."""

    list_display = ["unit", "channel", "address"]
    list_filter = ["channel"]
    search_fields = ["address", "unit__code", "unit__name"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit"]
