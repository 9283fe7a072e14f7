from django.contrib import admin

from edubrain.fitness.models import FitnessMeasurement


@admin.register(FitnessMeasurement)
class FitnessMeasurementAdmin(admin.ModelAdmin):
    list_display = ("student", "school_year", "school", "grade_code", "class_name", "height_cm", "weight_kg")
    list_filter = ("school_year", "grade_code")
    raw_id_fields = ("student", "school", "batch")
