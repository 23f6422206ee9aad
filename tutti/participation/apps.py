from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "tutti.participation"
    label = "participation"
    verbose_name = "Participation"
