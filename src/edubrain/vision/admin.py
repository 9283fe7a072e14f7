from django.contrib import admin

from edubrain.vision.models import VisionScreening


@admin.register(VisionScreening)
class VisionScreeningAdmin(admin.ModelAdmin):
    list_display = ("student", "school_year", "school", "screened_on", "left_acuity", "right_acuity")
    list_filter = ("school_year",)
    raw_id_fields = ("student", "school", "batch")
