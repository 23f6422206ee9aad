from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "tutti.loans"
    label = "loans"
    verbose_name = "Instrument library"
