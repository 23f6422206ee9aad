from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "tutti.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self) -> None:
        from tutti.core.page_cache import watch
        from tutti.newsletters import signals  # noqa: F401 - connects anymail's tracking signal
        from tutti.newsletters.models import Issue, NewsletterList

        # The sign-up form and the public archive (tutti/core/page_cache.py).
        watch(NewsletterList)
        watch(Issue)
