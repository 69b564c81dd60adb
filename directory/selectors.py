"""Reads of the directory that other apps need."""

import difflib
import io
import json
import math
import re
from collections.abc import Iterator

from django.core.cache import cache
from django.db.models import Q, QuerySet

from accounts.selectors import user_is_hub_staff
from core import exports
from core.search import Document, document_match

from . import geo, standard
from .coverage import coverage_matrix as coverage_matrix  # read by the coverage screens
from .models import (
    Commune,
    Departement,
    Epci,
    Organisation,
    Place,
    PlaceStop,
    StructureMembership,
)

# What the portal's searches read of the directory (indexed on PostgreSQL, migrations 0012 and
# 0013: the big tables keep their vectors in stored columns).
PLACE_NAME = Document(
    "directory.Place", ("name",), "directory_place_name_search", column="fts_name"
)
PLACE_COMMUNE = Document(
    "directory.Place", ("commune",), "directory_place_commune_search", column="fts_commune"
)
PLACE_SERVICES = Document(
    "directory.Place", ("services",), "directory_place_service_search", column="fts_services"
)
PLACE_SUMMARY = Document(
    "directory.Place", ("summary",), "directory_place_summary_search", column="fts_summary"
)
STOP_COMMUNE = Document("directory.PlaceStop", ("commune",), "directory_placestop_search")
ORGANISATION_NAME = Document(
    "directory.Organisation", ("name",), "directory_organisation_search", column="fts_name"
)
COMMUNE_NAME = Document(
    "directory.Commune", ("name",), "directory_commune_search", column="fts_name"
)


def organisation_list_managed_by(*, user) -> list[Organisation]:
    """The structures `user` manages (empty for anyone else)."""
    return list(
        Organisation.objects.filter(memberships__user=user, memberships__is_manager=True).order_by(
            "name"
        )
    )


def user_manages_organisation(*, user, organisation: Organisation | int | None) -> bool:
    """The one answer to "can this person manage this structure?" (its directory entry, its
    numérithèque bookings): Hub staff for every structure, otherwise its manager members."""
    if user_is_hub_staff(user):
        return True
    if organisation is None or not user.is_authenticated:
        return False
    return StructureMembership.objects.filter(
        user=user, organisation=organisation, is_manager=True
    ).exists()


def organisation_member_list(*, organisation: Organisation | int):
    """The active accounts that belong to a structure (a group its manager registers), by
    name."""
    from accounts.models import User

    return User.objects.filter(memberships__organisation=organisation, is_active=True).order_by(
        "last_name", "first_name", "email"
    )


def place_list_managed_by(*, user) -> QuerySet[Place]:
    """The places of the structures `user` manages."""
    return Place.objects.filter(
        organisation__memberships__user=user, organisation__memberships__is_manager=True
    ).distinct()


def user_manages_place(*, user, place: Place) -> bool:
    """Whether `user` manages the structure that runs `place` (see user_manages_organisation)."""
    return user_manages_organisation(user=user, organisation=place.organisation_id)


# « Rennes (35000) » or « Rennes (35) », as lists and autocompletes show a commune.
_LABELLED = re.compile(r"(?P<name>.+?)\s*\((?P<code>\d{5}|\d{2,3}|2[AB])\)", re.IGNORECASE)
_CODE = re.compile(r"\d{5}|2[AB]\d{3}", re.IGNORECASE)


def commune_find(*, query: str) -> list[Commune]:
    """The communes a person designates, best first, at most 20: by INSEE code or postcode
    (the commune of that INSEE code first), by name typed with or without accents, hyphens or
    capitals (exact names before names starting so), or « Nom (code postal) » / « Nom (35) »
    (falling back to the name alone when the code does not match). Same names by INSEE code."""
    query = " ".join((query or "").split())
    communes = Commune.objects.select_related("departement", "epci").order_by("name", "insee_code")
    labelled = _LABELLED.fullmatch(query)
    if labelled:
        code, key = labelled["code"].upper(), geo.commune_key(labelled["name"])
        by_code = Q(postcodes__contains=code) if len(code) == 5 else Q(departement_id=code)
        return list(communes.filter(by_code, search_name=key)[:20]) or commune_find(
            query=labelled["name"]
        )
    if _CODE.fullmatch(query):
        code = query.upper()
        found = list(communes.filter(Q(postcodes__contains=code) | Q(insee_code=code))[:20])
        return sorted(found, key=lambda commune: commune.insee_code != code)
    key = geo.commune_key(query)
    if not key:
        return []
    return list(communes.filter(search_name=key)[:20]) or list(
        communes.filter(search_name__startswith=key)[:20]
    )


def commune_is_known(*, query: str) -> bool:
    """Does `query` (a name, postcode or INSEE code) designate a commune of the COG, or one
    the directory's places are in (spelled as their source spells it, « Paris 15e »)?"""
    if commune_find(query=query):
        return True
    query = " ".join(query.split())
    return Place.objects.filter(
        Q(commune__iexact=query) | Q(postcode=query) | Q(insee_code=query)
    ).exists()


def commune_locate(*, query: str) -> Commune | None:
    """The first commune `commune_find` gives that has coordinates (to measure distances
    from), or None when the query designates no such commune."""
    return next((c for c in commune_find(query=query) if c.latitude is not None), None)


def within_radius(
    queryset: QuerySet, *, latitude: float, longitude: float, radius_km: float, prefix: str = ""
) -> QuerySet:
    """The rows of `queryset` whose point (`<prefix>latitude`/`<prefix>longitude`, e.g.
    prefix "venue__") lies within `radius_km`, annotated with `distance_km`, all in SQL so
    that it paginates and counts. The bounding box (indexed) keeps the trigonometry to
    nearby rows."""
    return (
        queryset.filter(**geo.bounding_box(latitude, longitude, radius_km, prefix=prefix))
        .annotate(distance_km=geo.distance_km_expression(latitude, longitude, prefix=prefix))
        .filter(distance_km__lte=radius_km)
    )


def place_pks_near(*, latitude: float, longitude: float, radius_km: float) -> QuerySet:
    """The primary keys of the places within `radius_km`, by their own position or by one of
    their stops (a mobile service met in several communes), as a subquery for lists near a
    point to join on (`venue_id__in=…`): each table's indexed bounding box, then the exact
    distance on those rows only, in the same statement as the list (no list of keys sent
    back to the database)."""
    places = within_radius(
        Place.objects.all(), latitude=latitude, longitude=longitude, radius_km=radius_km
    ).values("pk")
    stops = within_radius(
        PlaceStop.objects.all(), latitude=latitude, longitude=longitude, radius_km=radius_km
    ).values("place_id")
    return places.union(stops)


def commune_codes_near(*, latitude: float, longitude: float, radius_km: float) -> list[str]:
    """INSEE codes of the communes whose centre lies within `radius_km` (sessions held hors
    les murs in a commune are placed there), in one query reading three columns."""
    rows = Commune.objects.filter(**geo.bounding_box(latitude, longitude, radius_km))
    return [
        code
        for code, commune_latitude, commune_longitude in rows.values_list(
            "insee_code", "latitude", "longitude"
        )
        if geo.distance_km(latitude, longitude, commune_latitude, commune_longitude) <= radius_km
    ]


def _distance(latitude: float, longitude: float, to_latitude, to_longitude) -> float:
    if to_latitude is None or to_longitude is None:
        return math.inf  # a mobile service found by a stop, without a position of its own
    return geo.distance_km(latitude, longitude, to_latitude, to_longitude)


def _stop_distances(latitude: float, longitude: float, radius_km: float) -> dict[int, float]:
    """The mobile services that stop within `radius_km`: place pk → its nearest stop's
    distance (one query, on the stops' indexed coordinates)."""
    distances: dict[int, float] = {}
    stops = PlaceStop.objects.filter(**geo.bounding_box(latitude, longitude, radius_km))
    for place_id, stop_latitude, stop_longitude in stops.values_list(
        "place_id", "latitude", "longitude"
    ):
        distance = geo.distance_km(latitude, longitude, stop_latitude, stop_longitude)
        if distance <= radius_km:
            distances[place_id] = min(distance, distances.get(place_id, distance))
    return distances


def place_list_near(
    *,
    latitude: float,
    longitude: float,
    radius_km: float,
    queryset: QuerySet[Place] | None = None,
    limit: int | None = None,
) -> list[Place]:
    """Places within `radius_km`, nearest first, each with a `distance_km` attribute.

    One query: SQL keeps the bounding box (indexed), Python the exact circle."""
    queryset = Place.objects.all() if queryset is None else queryset
    stops = _stop_distances(latitude, longitude, radius_km)
    places = []
    box = Q(**geo.bounding_box(latitude, longitude, radius_km))
    for place in queryset.filter(box | Q(pk__in=list(stops)) if stops else box):
        place.distance_km = min(
            _distance(latitude, longitude, place.latitude, place.longitude),
            stops.get(place.pk, math.inf),
        )
        if place.distance_km <= radius_km:
            places.append(place)
    places.sort(key=lambda place: (place.distance_km, place.name))
    return places[:limit] if limit else places


def place_get(*, pk: int) -> Place | None:
    return Place.objects.select_related("organisation").filter(pk=pk).first()


def place_search(
    *,
    queryset: QuerySet[Place] | None = None,
    text: str = "",
    service: str = "",
    public: str = "",
    scheme: str = "",
    free: bool = False,
    open_at=None,
    open_on=None,
    near: tuple[float, float, float] | None = None,
    territory=None,
) -> list[dict]:
    """The places matching the directory's filters, as light rows (pk, name, coordinates,
    distance), in display order: nearest first with `near`, else by name. `territory`
    (forms.Territory) keeps its départements, and places without one for the Hub's.

    `text` is matched as the portal search matches it (core.search: French words, accents
    and plurals aside) against the name, the commune, the services and the communes of an
    itinerant place's stops. One query whatever the number of places: vocabulary filters run
    in SQL, opening hours and the exact distance in Python on the same rows."""
    from . import hours

    queryset = Place.objects.all() if queryset is None else queryset
    if territory is not None:
        codes = [*territory.departements, *([""] if territory.unplaced else [])]
        queryset = queryset.filter(departement__in=codes)
    if text:
        stopping_there = document_match(
            PlaceStop.objects.all(), documents=[("", STOP_COMMUNE)], query=text
        ).values("place_id")
        matching = document_match(
            Place.objects.all(),
            documents=[("", PLACE_NAME), ("", PLACE_COMMUNE), ("", PLACE_SERVICES)],
            query=text,
        ).values("pk")
        queryset = queryset.filter(Q(pk__in=matching) | Q(pk__in=stopping_there))
    for attribute, value in (
        ("services", service),
        ("publics", public),
    ):
        if value:
            queryset = queryset.filter(**{f"{attribute}__contains": f"|{value}|"})
    if scheme:
        queryset = queryset.filter(
            Q(national_schemes__contains=f"|{scheme}|") | Q(labels__contains=f"|{scheme}|")
        )
    if free:
        queryset = queryset.filter(fees__contains=f"|{standard.FREE_OF_CHARGE}|")
    stops: dict[int, float] = {}
    if near:
        stops = _stop_distances(*near)
        box = Q(**geo.bounding_box(*near))
        queryset = queryset.filter(box | Q(pk__in=list(stops)) if stops else box)
    rows = []
    for pk, name, latitude, longitude, opening in queryset.order_by("name", "pk").values_list(
        "pk", "name", "latitude", "longitude", "opening_hours"
    ):
        row = {"pk": pk, "name": name, "latitude": latitude, "longitude": longitude}
        if near:
            row["distance_km"] = min(
                _distance(near[0], near[1], latitude, longitude),
                stops.get(pk, math.inf),
            )
            if row["distance_km"] > near[2]:
                continue
        if open_at and not hours.is_open_at(opening, open_at):
            continue
        if open_on and not hours.is_open_on(opening, open_on):
            continue
        rows.append(row)
    if near:
        rows.sort(key=lambda row: row["distance_km"])
    return rows


def place_list_by_pk(*, pks: list[int]) -> list[Place]:
    """Whole places for a page of search results, in the given order (one query)."""
    places = Place.objects.select_related("organisation").in_bulk(pks)
    return [places[pk] for pk in pks if pk in places]


ORIENTATION_RADII_KM = (10, 30, 100)


def place_list_for_need(
    *, service: str, latitude: float, longitude: float, limit: int = 5, now=None
) -> list[Place]:
    """The nearest places offering `service`, widening the circle until `limit` are found; each
    has `distance_km`, `hours_status` and `opens_at` (now or the next opening within a week)."""
    from . import hours

    now = now or hours.local_now()
    queryset = Place.objects.select_related("organisation").filter(
        services__contains=f"|{service}|"
    )
    for radius in ORIENTATION_RADII_KM:
        places = place_list_near(
            latitude=latitude, longitude=longitude, radius_km=radius, queryset=queryset
        )
        if len(places) >= limit:
            break
    for place in places:
        place.hours_status = hours.status(place.opening_hours, now)
        place.opens_at = hours.opens_within(place.opening_hours, now, days=7)
    # Among the nearest, a place open within the week comes before one that is not.
    places.sort(key=lambda place: (place.opens_at is None, place.distance_km))
    return places[:limit]


def organisation_of_user(*, user) -> Organisation | None:
    """The structure a person works for, as the directory knows it: one they manage first,
    else the one they joined first; None without a membership. One query."""
    membership = (
        StructureMembership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("-is_manager", "pk")
        .first()
    )
    return membership.organisation if membership else None


def organisation_get(*, pk: int) -> Organisation | None:
    """A structure of the directory, or None."""
    return Organisation.objects.filter(pk=pk).first()


def membership_list_of_user(*, user) -> list[StructureMembership]:
    """The person's structures (managed first), with any pending « je gère » request."""
    return list(
        StructureMembership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("-is_manager", "organisation__name", "pk")
    )


def membership_export(user) -> dict:
    """The person's structures and hand edits, for their data export."""
    from .models import PlaceChange

    return {
        "structures": [
            {
                "structure": m.organisation.name,
                "siret": m.organisation.siret,
                "gestionnaire": m.is_manager,
            }
            for m in StructureMembership.objects.filter(user=user).select_related("organisation")
        ],
        "modifications_de_lieux": [
            {
                "lieu": change.place.name,
                "le": change.changed_at.isoformat(),
                "champs": sorted(change.changes),
            }
            for change in PlaceChange.objects.filter(user=user).select_related("place")
        ],
    }


def departement_names() -> dict[str, str]:
    """{code: name} of the départements the territory import knows (empty before it runs).
    Every filter of the agenda and the directory shows them: with a shared cache, read once
    per data version (core.data_version, bumped by every committed write), not on every
    render; without one the version is itself a database read, which would save nothing."""
    from django.conf import settings

    from core import data_version

    if not settings.MAILLAGE_DATA_VERSION_IN_CACHE:
        return dict(Departement.objects.values_list("code", "name"))
    key = f"directory:departement-names:{data_version.current()}"
    return cache.get_or_set(
        key, lambda: dict(Departement.objects.values_list("code", "name")), timeout=3600
    )


def place_standard_fields() -> list[dict]:
    """The columns of the national standard, in its order: `name`, `description`, `required`
    and `multi_valued` (a list of values, joined with `|` in files)."""
    from . import standard_io

    return [
        {
            "name": field["name"],
            "description": field.get("description") or field.get("title") or field["name"],
            "required": bool(field.get("constraints", {}).get("required")),
            "multi_valued": field["name"] in standard_io.MULTI_VALUED,
        }
        for field in standard.schema()["fields"]
    ]


def _with_stops(places) -> Iterator[Place]:
    """Places as the standard's files carry them: a mobile service once per stop."""
    from . import itinerance

    stops = itinerance.stops_by_place()
    for place in places:
        yield from itinerance.as_rows(place, stops.get(place.pk, []))


def place_export_rows(*, places, public: bool = False) -> Iterator[dict[str, str]]:
    """Places as rows of the national standard; `public` blanks what the open data withholds
    (the columns of `standard_io.WITHHELD_FROM_PUBLIC`)."""
    from . import standard_io

    for place in _with_stops(places):
        row = standard_io.place_to_row(place)
        if public:
            row.update(dict.fromkeys(standard_io.WITHHELD_FROM_PUBLIC, ""))
        yield row


def place_export_csv_rows(*, places, public: bool = False) -> Iterator[list[str]]:
    """The standard's cells in its column order, for `core.exports` (which neutralises them)."""
    names = standard.field_names()
    for row in place_export_rows(places=places, public=public):
        yield [row.get(name, "") for name in names]


def place_export_text(*, places, file_format: str, public: bool = False) -> str:
    """Places as a file of the national standard: JSON in its one shape (`standard_json`: the
    standard's rows, absent fields left out) or CSV in the standard's column order; the import
    reads both back."""
    if file_format == "json":
        from . import standard_json

        return json.dumps(
            standard_json.rows(_with_stops(places), public=public), ensure_ascii=False, indent=1
        )
    buffer = io.StringIO()
    exports.csv_write(
        buffer,
        header=standard.field_names(),
        rows=place_export_csv_rows(places=places, public=public),
        spreadsheet=False,
    )
    return buffer.getvalue()


def place_standard_row(*, place: Place) -> dict[str, str]:
    """One place as a row of the national standard: the very mapping of `export_lieux` and of
    the import's round trip (strings, multi-values joined with `|`)."""
    from . import standard_io

    return standard_io.place_to_row(place)


def place_list_standard_json(*, public: bool = True) -> list[dict]:
    """Every place as the standard's JSON row (`standard_json`: the one shape of every JSON
    export), contact columns withheld when `public`."""
    from . import standard_json

    places = Place.objects.order_by("name", "pk").iterator(chunk_size=500)
    return standard_json.rows(_with_stops(places), public=public)


def place_data_inclusion(*, places, public: bool = True) -> dict[str, list[dict]]:
    """Places as data·inclusion structures and services (`data_inclusion`), contact fields
    withheld when `public`."""
    from . import data_inclusion

    return data_inclusion.export(places, public=public)


def place_list_data_inclusion(*, public: bool = True) -> dict[str, list[dict]]:
    """Every place in the data·inclusion schema, as the open data publishes it."""
    places = Place.objects.order_by("name", "pk").iterator(chunk_size=500)
    return place_data_inclusion(places=places, public=public)


def place_service_values() -> tuple[str, ...]:
    """The `services` vocabulary of the national standard, in its order."""
    return standard.vocabularies()[standard.SERVICES]


def place_service_canonical(*, value: str) -> str | None:
    """The standard's spelling of a service typed with any case, accents or apostrophes;
    None when it is not in the vocabulary."""
    return standard.canonical(standard.SERVICES, value)


def place_filter_by_service(*, queryset: QuerySet[Place], service: str) -> QuerySet[Place]:
    """The places of `queryset` offering `service` (a value of the standard's vocabulary)."""
    return queryset.filter(services__contains=f"|{service}|")


def commune_codes() -> set[str]:
    """The INSEE codes of today's communes (those loaded by `load_communes`)."""
    return set(Commune.objects.values_list("insee_code", flat=True))


def epci_codes() -> set[str]:
    return set(Epci.objects.values_list("siren", flat=True))


def commune_rows(*, departements: list[str] | None = None, epci: str | None = None) -> list[tuple]:
    """(insee_code, name, epci SIREN, département, latitude, longitude, population) of the
    communes of some départements or of one EPCI, sorted by name; one query."""
    queryset = Commune.objects.all()
    if departements is not None:
        queryset = queryset.filter(departement_id__in=departements)
    if epci is not None:
        queryset = queryset.filter(epci_id=epci)
    return list(
        queryset.order_by("name", "insee_code").values_list(
            "insee_code", "name", "epci_id", "departement_id", "latitude", "longitude", "population"
        )
    )


def epci_names(*, sirens) -> dict[str, str]:
    return dict(Epci.objects.filter(siren__in=list(sirens)).values_list("siren", "name"))


def epci_get(*, siren: str) -> Epci | None:
    return Epci.objects.filter(siren=siren).first()


def departement_get(*, code: str) -> Departement | None:
    return Departement.objects.filter(code=code).first()


def epci_departements(*, siren: str) -> list[str]:
    """The départements an EPCI's communes belong to (usually one)."""
    return sorted(
        set(Commune.objects.filter(epci_id=siren).values_list("departement_id", flat=True))
    )


def place_points(*, service: str | None = None) -> list[tuple]:
    """(pk, name, insee_code, latitude, longitude, itinérance) of the located places, offering
    `service` if given (a value of the standard); one query, for bulk distance computations."""
    queryset = Place.objects.filter(latitude__isnull=False, longitude__isnull=False)
    if service:
        queryset = place_filter_by_service(queryset=queryset, service=service)
    return list(
        queryset.order_by("pk").values_list(
            "pk", "name", "insee_code", "latitude", "longitude", "itinerance"
        )
    )


def directory_fingerprint() -> str:
    """Changes whenever places or communes change: the key of caches computed from them."""
    from django.db.models import Count, Max

    places = Place.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    communes = Commune.objects.aggregate(count=Count("pk"), population=Max("population"))
    return f"{places['count']}:{places['latest']}:{communes['count']}:{communes['population']}"


def place_text_search(*, query: str, limit: int) -> list[Place]:
    """Places whose name, commune, services, summary or structure match `query` in French
    (accents, case and plurals ignored), by name (one query)."""
    return list(
        document_match(
            Place.objects.select_related("organisation"),
            documents=[
                ("", PLACE_NAME),
                ("", PLACE_COMMUNE),
                ("", PLACE_SERVICES),
                ("", PLACE_SUMMARY),
                ("organisation", ORGANISATION_NAME),
            ],
            query=query,
        ).order_by("name", "pk")[:limit]
    )


def place_commune_corrected(*, text: str) -> str:
    """`text` with a commune of the directory's places typed with a typo (« Quimpr »,
    « atelier Renes ») replaced by its name, the whole text tried first, then each word;
    "" when no commune is close enough. One query."""
    names = {
        geo.commune_key(name): name
        for name in Place.objects.order_by().values_list("commune", flat=True).distinct()
        if name
    }

    def closest(candidate: str) -> str | None:
        key = geo.commune_key(candidate)
        if len(key) < 4:
            return None
        if key in names:
            return names[key]
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.75)
        return names[close[0]] if close else None

    if commune := closest(text):
        return commune
    words = text.split()
    for position, word in enumerate(words if len(words) > 1 else []):
        if commune := closest(word):
            return " ".join([*words[:position], commune, *words[position + 1 :]])
    return ""


def place_search_tolerant(**arguments) -> tuple[list[dict], str]:
    """`place_search(**arguments)`, and when its `text` finds nothing because a commune is
    typed with a typo (« Quimpr »), the search again with the commune's name: (rows, the
    corrected text or ""). At most three queries."""
    rows = place_search(**arguments)
    text = arguments.get("text", "")
    if rows or not text:
        return rows, ""
    corrected = place_commune_corrected(text=text)
    if not corrected or corrected == text:
        return rows, ""
    return place_search(**{**arguments, "text": corrected}), corrected


def place_distance_km(*, place: Place, latitude: float, longitude: float) -> float:
    """How far `place` is from a point, in km (infinite for a place without coordinates)."""
    if place.latitude is None or place.longitude is None:
        return float("inf")
    return geo.distance_km(latitude, longitude, place.latitude, place.longitude)


def place_hours_on(*, place: Place, day) -> str:
    """`place`'s opening hours on `day` in words (« 9 h – 12 h, 14 h – 17 h », « fermé »), or
    "" when the directory has no readable hours for it."""
    from . import hours

    if not place.opening_hours or not place.opening_hours_valid:
        return ""
    week = hours.week(place.opening_hours, today=day)
    return week[0]["label"] if week else ""


def commune_codes_of_epci(*, siren: str) -> list[str]:
    """INSEE codes of the communes of an EPCI (what a report filtered by EPCI keeps)."""
    return list(Commune.objects.filter(epci_id=siren).values_list("insee_code", flat=True))


def organisation_find(*, text: str, limit: int = 10) -> list[Organisation]:
    """Structures whose name, or the name or commune of one of their places, matches `text`
    in French (accents and case aside), by name; one query."""
    matching = document_match(
        Organisation.objects.all(),
        documents=[("", ORGANISATION_NAME), ("places", PLACE_NAME), ("places", PLACE_COMMUNE)],
        query=text,
    )
    return list(Organisation.objects.filter(pk__in=matching.values("pk")).order_by("name")[:limit])


def membership_list_manager_requests() -> QuerySet[StructureMembership]:
    """The « je gère cette structure » requests Hub staff have to decide on, oldest first."""
    return (
        StructureMembership.objects.filter(manager_requested_at__isnull=False)
        .select_related("user", "organisation")
        .order_by("manager_requested_at", "pk")
    )


def error_report_list_open(*, limit: int = 20):
    """Error reports on fiches not yet closed, oldest first, with their place."""
    from .models import PlaceErrorReport

    return list(
        PlaceErrorReport.objects.filter(closed_at__isnull=True)
        .select_related("place")
        .order_by("created_at", "pk")[:limit]
    )


def place_proposal_list_pending():
    """Places proposed by structures and waiting for Hub staff, oldest first."""
    from .models import PlaceProposal

    return (
        PlaceProposal.objects.filter(status=PlaceProposal.Status.PENDING)
        .select_related("organisation", "proposed_by")
        .order_by("created_at", "pk")
    )


def place_proposal_list_by(*, user) -> list:
    """The places `user` proposed that are still waiting or were refused (the approved ones
    are places of their structure)."""
    from .models import PlaceProposal

    if not user.is_authenticated:
        return []
    return list(
        PlaceProposal.objects.filter(proposed_by=user)
        .exclude(status=PlaceProposal.Status.APPROVED)
        .select_related("organisation")
    )
