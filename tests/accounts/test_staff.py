"""One answer to "is this person Hub staff?" (accounts.selectors.user_is_hub_staff) and one to
"can this person manage this structure?" (directory.selectors.user_manages_organisation)."""

import re
from pathlib import Path

from django.contrib.auth.models import AnonymousUser

import pytest

from accounts.roles import HUB_STAFF, INSTITUTIONAL_PARTNER, NUMERITHEQUE_MANAGER
from accounts.selectors import user_has_role, user_is_hub_staff
from accounts.services import user_assign_role
from directory.selectors import user_manages_organisation, user_manages_place
from tests.factories.accounts import (
    UserFactory,
    hub_staff,
    numeritheque_manager,
    structure_manager,
)
from tests.factories.directory import OrganisationFactory, PlaceFactory, StructureMembershipFactory

ROOT = Path(__file__).resolve().parents[2]
# A role group or a permission standing in for one, checked directly.
DIRECT_CHECK = re.compile(r"\.has_perm\(|groups__name|\.groups\.|\bis_superuser\b|\bHUB_STAFF\b")


def app_modules():
    for apps_file in ROOT.glob("*/apps.py"):
        app = apps_file.parent
        if app.name == "accounts":
            continue
        for module in app.rglob("*.py"):
            if "migrations" not in module.parts:
                yield module


def test_no_module_outside_accounts_checks_a_role_or_a_permission_itself():
    found = [
        f"{module.relative_to(ROOT)}:{number}: {line.strip()}"
        for module in app_modules()
        for number, line in enumerate(module.read_text().splitlines(), 1)
        if DIRECT_CHECK.search(line) and "user_assign_role" not in line and "import" not in line
    ]
    assert not found, "Use accounts.selectors.user_is_hub_staff:\n" + "\n".join(found)


def test_the_scan_sees_a_direct_check():
    assert DIRECT_CHECK.search('request.user.has_perm("events.change_registration")')
    assert DIRECT_CHECK.search("user.groups.filter(name=HUB_STAFF)")


@pytest.mark.django_db
def test_who_is_hub_staff(django_assert_num_queries):
    assert user_is_hub_staff(hub_staff())
    assert user_is_hub_staff(UserFactory(is_superuser=True))
    assert not user_is_hub_staff(numeritheque_manager())
    assert not user_is_hub_staff(structure_manager())
    assert not user_is_hub_staff(UserFactory())
    assert not user_is_hub_staff(AnonymousUser())
    assert not user_is_hub_staff(None)
    staff = hub_staff()
    with django_assert_num_queries(1):
        assert user_is_hub_staff(staff) and user_is_hub_staff(staff)


@pytest.mark.django_db
def test_a_new_role_changes_the_answer_at_once():
    person = UserFactory()
    assert not user_is_hub_staff(person)
    user_assign_role(user=person, role=HUB_STAFF)
    assert user_is_hub_staff(person)


@pytest.mark.django_db
def test_who_manages_a_structure():
    organisation = OrganisationFactory()
    place = PlaceFactory(organisation=organisation)
    manager = UserFactory()
    StructureMembershipFactory(user=manager, organisation=organisation, is_manager=True)
    member = UserFactory()
    StructureMembershipFactory(user=member, organisation=organisation, is_manager=False)
    assert user_manages_organisation(user=manager, organisation=organisation)
    assert user_manages_place(user=manager, place=place)
    assert user_manages_organisation(user=hub_staff(), organisation=organisation)
    assert not user_manages_organisation(user=member, organisation=organisation)
    assert not user_manages_organisation(user=manager, organisation=OrganisationFactory())
    assert not user_manages_place(user=AnonymousUser(), place=place)
    assert not user_manages_place(user=manager, place=PlaceFactory(organisation=None))


@pytest.mark.django_db
def test_one_query_answers_every_role_of_a_person(django_assert_num_queries):
    person = numeritheque_manager()
    with django_assert_num_queries(1):
        assert user_has_role(user=person, roles=[NUMERITHEQUE_MANAGER])
        assert not user_is_hub_staff(person)
        assert not user_has_role(user=person, roles=[INSTITUTIONAL_PARTNER])
