from django.apps import AppConfig


class ProvisionConfig(AppConfig):
    name = "tutti.provision"
    label = "provision"
    verbose_name = "Provision audit"
