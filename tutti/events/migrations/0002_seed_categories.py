"""Give every hub that already exists the default event categories. New hubs get them from
the post_save signal in tutti/events/signals.py."""

from django.db import migrations
from django.utils.text import slugify

# A copy, not an import: a migration must keep working when the models' module changes.
DEFAULT_CATEGORIES = [
    "Training and Development for Schools and Providers",
    "Cluster meetings",
    "Concerts and performances",
    "Festivals",
    "Conferences",
    "Competitions",
    "Workshops and courses",
    "Holiday courses",
]


def seed(apps, schema_editor):
    Hub = apps.get_model("directory", "Hub")
    EventCategory = apps.get_model("events", "EventCategory")
    for hub in Hub.objects.all():
        existing = set(EventCategory.objects.filter(hub=hub).values_list("slug", flat=True))
        EventCategory.objects.bulk_create(
            EventCategory(hub=hub, name=name, slug=slugify(name), position=position)
            for position, name in enumerate(DEFAULT_CATEGORIES)
            if slugify(name) not in existing
        )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
