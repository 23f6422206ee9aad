from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "tutti.programmes"
    verbose_name = "Programmes across services"
    default_auto_field = "django.db.models.BigAutoField"
