"""A new hub gets the default event categories.

A signal, because the directory (which creates hubs, and whose admin does) must not know about
events. Hubs that existed before this app were seeded by migration 0002.
"""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from tutti.directory.models import Hub


@receiver(post_save, sender=Hub, dispatch_uid="events.seed_categories")
def seed_categories_for_new_hub(sender: type[Hub], instance: Hub, created: bool, **kwargs: Any):
    if created and not kwargs.get("raw"):
        from tutti.events.services import categories_seed

        categories_seed(hub=instance)
