import factory

from directory.models import Organisation, Place, StructureMembership


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association numérique {n}")
    siret = factory.Sequence(lambda n: f"{43493312300000 + n:014d}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    identifier = factory.Sequence(lambda n: f"lieu-{n}")
    name = factory.Sequence(lambda n: f"Espace public numérique {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    address = "12 rue de la République"
    postcode = "35000"
    commune = "Rennes"
    insee_code = "35238"
    departement = "35"
    latitude = 48.11198
    longitude = -1.68186


class StructureMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StructureMembership

    organisation = factory.SubFactory(OrganisationFactory)
    is_manager = True
