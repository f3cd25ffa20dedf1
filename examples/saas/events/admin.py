from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created_at")
    list_filter = ("name",)
    search_fields = ("name", "user__email")
    date_hierarchy = "created_at"
    raw_id_fields = ("user",)
