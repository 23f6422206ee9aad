from django.core.management.base import BaseCommand

from tutti.core.urls import absolute_url
from tutti.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo hubs (Wiltshire, Cambridgeshire, The Music Partnership) on real schools."

    def handle(self, *args, **options):
        logins = load_demo(echo=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):"))
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {login.role}")
        self.stdout.write("")
        home, login = absolute_url("/"), absolute_url("/accounts/login/")
        self.stdout.write(f"Open {home} — sign in at {login}")
