"""The scope rule: a union sees itself and the unions below it, admins everything, no one else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from kiosk.extensions import db
from kiosk.models import Organisation, OutreachSession, StaffUser
from kiosk.scoping import (
    can_see_org,
    descendant_ids,
    in_scope,
    organisation_choices,
    scoped,
    visible_org_ids,
)
from tests.conftest import World, password_hash

DISTRICT, TOWN, OTHER_TOWN = "大兴区总工会", "瀛海镇总工会", "西红门镇总工会"
PARK = "瀛海产业基地工会"
EVERY_ORG = {DISTRICT, TOWN, OTHER_TOWN, PARK}


@pytest.fixture
def tree(app: Flask, world: World) -> Iterator[None]:
    """The world's district and two towns, a park under 瀛海镇, and an account with no union."""
    with app.app_context():
        db.session.add(Organisation(name=PARK, level="industrial_park", parent_id=world.town_id))
        db.session.add(
            StaffUser(username="nobody", password_hash=password_hash(), organisation_id=None)
        )
        db.session.commit()
        yield


def _user(username: str) -> StaffUser:
    user = db.session.scalar(sa.select(StaffUser).where(StaffUser.username == username))
    assert user is not None
    return user


def _org_ids(names: set[str]) -> set[int]:
    return set(db.session.scalars(sa.select(Organisation.id).where(Organisation.name.in_(names))))


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("district", EVERY_ORG),  # a district sees its towns, and what is below them
        ("staff", {TOWN, PARK}),  # a town sees itself and its park
        ("outsider", {OTHER_TOWN}),  # a town with nothing below sees only itself
        ("nobody", set()),  # an account with no union sees nothing
    ],
)
def test_staff_see_their_union_and_those_below(tree: None, username: str, sees: set[str]) -> None:
    user = _user(username)
    assert visible_org_ids(user) == _org_ids(sees)
    for org_id in _org_ids(EVERY_ORG):
        assert can_see_org(user, org_id) is (org_id in _org_ids(sees))


def test_admin_sees_every_union(tree: None) -> None:
    admin = _user("admin")
    assert visible_org_ids(admin) is None
    assert all(can_see_org(admin, org_id) for org_id in _org_ids(EVERY_ORG))


@pytest.mark.parametrize(("username", "allowed"), [("admin", True), ("district", False)])
def test_a_row_of_no_union_is_for_admins_only(tree: None, username: str, allowed: bool) -> None:
    assert can_see_org(_user(username), None) is allowed


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("admin", EVERY_ORG),
        ("district", EVERY_ORG),
        ("staff", {TOWN, PARK}),
        ("nobody", set()),
    ],
)
def test_queries_and_form_choices_follow_the_same_rule(
    tree: None, username: str, sees: set[str]
) -> None:
    scope = visible_org_ids(_user(username))
    names = sa.select(Organisation.name)
    assert set(db.session.scalars(scoped(names, Organisation.id, scope))) == sees
    assert set(db.session.scalars(names.where(in_scope(Organisation.id, scope)))) == sees
    assert {name for _id, name in organisation_choices(scope)} == sees


@pytest.mark.parametrize(
    ("username", "titles"),
    [
        ("admin", {"瀛海镇职工沟通会", "西红门镇职工沟通会"}),
        ("district", {"瀛海镇职工沟通会", "西红门镇职工沟通会"}),
        ("staff", {"瀛海镇职工沟通会"}),
        ("outsider", {"西红门镇职工沟通会"}),
        ("nobody", set()),
    ],
)
def test_scoped_on_another_tables_organisation_column(
    tree: None, username: str, titles: set[str]
) -> None:
    scope = visible_org_ids(_user(username))
    statement = scoped(sa.select(OutreachSession.title), OutreachSession.organisation_id, scope)
    assert set(db.session.scalars(statement)) == titles


def test_descendants_of_a_leaf_are_itself(tree: None, world: World) -> None:
    assert descendant_ids(world.other_town_id) == {world.other_town_id}
