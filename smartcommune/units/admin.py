from django.contrib import admin

from smartcommune.units.models import Unit, UnitSuccession


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "kind", "valid_from", "valid_to"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "effective", "is_default"]
    list_filter = ["effective", "is_default", "predecessor__level"]
    search_fields = ["predecessor__code", "predecessor__name", "successor__code", "successor__name"]
    list_select_related = ["predecessor", "successor"]
    raw_id_fields = ["predecessor", "successor"]
