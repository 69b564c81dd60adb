"""Reads of the directory that other apps need."""

import re

from django.db.models import Q, QuerySet

from . import geo
from .models import Commune, Organisation, Place, StructureMembership


def organisation_list_managed_by(*, user) -> list[Organisation]:
    """The structures `user` manages (empty for anyone else)."""
    return list(
        Organisation.objects.filter(memberships__user=user, memberships__is_manager=True).order_by(
            "name"
        )
    )


def user_manages_organisation(*, user, organisation: Organisation) -> bool:
    return StructureMembership.objects.filter(
        user=user, organisation=organisation, is_manager=True
    ).exists()


def place_list_managed_by(*, user) -> QuerySet[Place]:
    """The places of the structures `user` manages."""
    return Place.objects.filter(
        organisation__memberships__user=user, organisation__memberships__is_manager=True
    ).distinct()


def user_manages_place(*, user, place: Place) -> bool:
    return (
        bool(place.organisation_id)
        and StructureMembership.objects.filter(
            user=user, organisation_id=place.organisation_id, is_manager=True
        ).exists()
    )


def commune_find(*, query: str) -> list[Commune]:
    """Communes matching a postcode, an INSEE code or a name (exact name first), at most 20."""
    query = " ".join((query or "").split())
    if not query:
        return []
    communes = Commune.objects.select_related("departement", "epci")
    if re.fullmatch(r"\d{5}", query):
        found = list(communes.filter(Q(postcodes__contains=query) | Q(insee_code=query))[:20])
        return sorted(found, key=lambda commune: (commune.insee_code != query, commune.name))
    if re.fullmatch(r"2[ABab]\d{3}", query):
        return list(communes.filter(insee_code=query.upper()))
    exact = list(communes.filter(name__iexact=query)[:20])
    return exact or list(communes.filter(name__istartswith=query)[:20])


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
    places = []
    for place in queryset.filter(**geo.bounding_box(latitude, longitude, radius_km)):
        place.distance_km = geo.distance_km(latitude, longitude, place.latitude, place.longitude)
        if place.distance_km <= radius_km:
            places.append(place)
    places.sort(key=lambda place: (place.distance_km, place.name))
    return places[:limit] if limit else places


def place_ids_near(
    *, latitude: float, longitude: float, radius_km: float, queryset: QuerySet[Place]
) -> list[tuple[int, float]]:
    """(pk, distance) of the places of `queryset` within the radius, nearest first, without
    loading whole rows."""
    found = []
    box = queryset.filter(**geo.bounding_box(latitude, longitude, radius_km))
    for pk, lat, lon in box.values_list("pk", "latitude", "longitude"):
        distance = geo.distance_km(latitude, longitude, lat, lon)
        if distance <= radius_km:
            found.append((pk, distance))
    found.sort(key=lambda item: item[1])
    return found


def place_get(*, pk: int) -> Place | None:
    return Place.objects.select_related("organisation").filter(pk=pk).first()
