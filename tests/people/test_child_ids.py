"""A new child's random id is drawn again when it is already issued."""

from __future__ import annotations

import pytest

from joinedup.people import models
from joinedup.people.models import Child
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_clashing_new_id_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    first = f.child()
    draws = iter([first.child_id, first.child_id, "C-23456789"])
    monkeypatch.setattr(models, "new_child_id", lambda: next(draws))
    second = Child(given_name="Sam", family_name="Clash")
    second.child_id = first.child_id  # as the field's default might draw it
    second.full_clean()
    second.save()
    assert second.child_id == "C-23456789"
    assert Child.objects.filter(child_id=first.child_id).count() == 1
