from django.contrib import admin

from edubrain.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("file_name", "dataset", "user", "status", "created", "new", "changed", "invalid")
    list_filter = ("dataset", "status")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]
