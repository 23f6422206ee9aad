from django.apps import AppConfig


class TransitionConfig(AppConfig):
    name = "tutti.transition"
    label = "transition"
    verbose_name = "Secondary transition"
