from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "tutti.directory"
    label = "directory"
    verbose_name = "Directory"
