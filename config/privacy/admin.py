from django.contrib import admin

from config.admin import ReadOnlyAdmin
from config.privacy.models import Anonymisering


@admin.register(Anonymisering)
class AnonymiseringAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["tidspunkt", "art", "udfoert_af_navn", "person_id", "person_uden_konto", "antal"]
    list_filter = ["art"]
    date_hierarchy = "tidspunkt"
