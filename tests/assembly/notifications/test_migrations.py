"""The delivery log moved from workshops to assembly with its table and rows."""

import pytest
from django.db import connection

from tests.migrations import migrate

BEFORE_THE_MOVE = [("assembly", "0001_initial"), ("workshops", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_delivery_rows_survive_the_move_to_assembly():
    try:
        old = migrate(BEFORE_THE_MOVE)
        person = old.get_model("assembly", "User").objects.create(
            email="lou@example.org", display_name="Lou", calendar_token="lou-token"
        )
        old.get_model("workshops", "Delivery").objects.create(
            person=person, topic="meeting:1", kind="reminder-1d", state="uncertain", error="stop"
        )
        assert "workshops_delivery" in connection.introspection.table_names()

        new = migrate(None)

        rows = new.get_model("assembly", "Delivery").objects.values_list(
            "person__email", "topic", "kind", "state", "error"
        )
        assert list(rows) == [("lou@example.org", "meeting:1", "reminder-1d", "uncertain", "stop")]
        tables = connection.introspection.table_names()
        assert ("assembly_delivery" in tables, "workshops_delivery" in tables) == (True, False)
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, "assembly_delivery")
        assert {"assembly_de_state_d53400_idx", "one_delivery_per_topic_person_kind"} <= set(
            constraints
        )
    finally:
        migrate(None)  # the next tests need the whole schema back


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone_with_its_rows():
    try:
        new = migrate(None)
        person = new.get_model("assembly", "User").objects.create(
            email="sam@example.org", display_name="Sam", calendar_token="sam-token"
        )
        new.get_model("assembly", "Delivery").objects.create(
            person=person, topic="decision:2", kind="vote_open", state="sent"
        )

        old = migrate(BEFORE_THE_MOVE)

        rows = old.get_model("workshops", "Delivery").objects.values_list("topic", "kind")
        assert list(rows) == [("decision:2", "vote_open")]
    finally:
        migrate(None)
