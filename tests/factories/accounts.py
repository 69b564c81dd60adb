import factory

from accounts.models import User
from accounts.roles import HUB_STAFF, NUMERITHEQUE_MANAGER, STRUCTURE_MANAGER
from accounts.services import user_assign_role

DEFAULT_PASSWORD = "motdepasse-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    field_role = User.FieldRole.MEDIATOR
    departement = "35"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users made by tests have a verified address unless asked otherwise."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def make_role_user(role: str, **kwargs) -> User:
    user = UserFactory(**kwargs)
    return user_assign_role(user=user, role=role)


def hub_staff(**kwargs) -> User:
    return make_role_user(HUB_STAFF, **kwargs)


def structure_manager(**kwargs) -> User:
    return make_role_user(STRUCTURE_MANAGER, **kwargs)


def numeritheque_manager(**kwargs) -> User:
    return make_role_user(NUMERITHEQUE_MANAGER, **kwargs)
