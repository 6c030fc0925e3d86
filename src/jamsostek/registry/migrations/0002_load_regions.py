"""Load the province of Kalimantan Barat, its 14 regencies/cities and 174 districts."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from jamsostek.registry.regions import region_rows

    Region = apps.get_model("registry", "Region")
    for row in region_rows():  # province first, then regencies, then districts (parents exist)
        Region.objects.update_or_create(code=row["code"], defaults=row)


def unload(apps: Any, schema_editor: Any) -> None:
    Region = apps.get_model("registry", "Region")
    Region.objects.filter(level="district").delete()
    Region.objects.filter(level="regency").delete()
    Region.objects.filter(level="province").delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
