"""A charter change needs its full proposed text: it opens from the amendment form, not the
plain discussion form, and so do its new rounds."""

import pytest

from decisions.models import Decision
from tests.charter.factories import add_version, amendment, default_charter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_plain_discussion_form_sends_charter_changes_to_the_amendment_form(client):
    client.force_login(UserFactory())

    page = client.get("/decisions/new/").content.decode()

    assert 'value="charter"' not in page
    assert 'href="/charter/amend/"' in page


def test_plain_discussion_form_refuses_a_charter_change(client):
    client.force_login(UserFactory())

    response = client.post(
        "/decisions/new/",
        {"title": "Changer la charte", "kind": "charter", "context": "Parce que."},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert not Decision.objects.filter(kind=Decision.Kind.CHARTER_CHANGE).exists()


def test_new_round_of_a_charter_change_starts_from_the_amendment_form(client):
    author = UserFactory()
    base = add_version(default_charter(), text="# Charte\n\nTexte.")
    decision = amendment(base, text="# Charte\n\nTexte revu.", author=author).decision
    Decision.objects.filter(pk=decision.pk).update(
        phase=Decision.Phase.CLOSED, outcome=Decision.Outcome.NOT_ADOPTED
    )
    client.force_login(author)

    response = client.get(f"/decisions/{decision.pk}/new-round/")

    assert (response.status_code, response.url) == (302, "/charter/amend/")
