from django.apps import AppConfig


class CompetitionsConfig(AppConfig):
    name = "tutti.competitions"
    label = "competitions"
    verbose_name = "Competitions"

    def ready(self) -> None:
        from tutti.competitions.models import Category, Competition, Entry
        from tutti.core.page_cache import watch

        # What public pages show (tutti/core/page_cache.py): the competition, its categories
        # and its published results.
        watch(Competition)
        watch(Category, lambda category: category.competition.hub_id)
        watch(Entry, lambda entry: entry.competition.hub_id)
