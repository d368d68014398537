import pytest

from tests.factories import UserFactory


@pytest.fixture
def administrator(db):
    return UserFactory(is_staff=True, is_superuser=True, display_name="Ada Admin")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def enqueued(callbacks) -> list[tuple[str, dict]]:
    """The tasks a block enqueued after commit (assembly.tasking), by name and arguments."""
    import functools  # noqa: PLC0415 - test helper

    return [
        (callback.func.__self__.name, callback.args[1])
        for callback in callbacks
        if isinstance(callback, functools.partial)
    ]


def _import_engine_installed() -> bool:
    from django.apps import apps  # noqa: PLC0415 - test helper

    try:
        apps.get_model("assembly", "ImportBatch")
    except LookupError:
        return False
    return True


# The moving-in checklist asks whether someone facilitates or was invited (2 queries), then which
# imports were applied (1 query) or, without the import engine, whether each kind of data exists
# (5 queries).
CHECKLIST_QUERIES = 2 + (1 if _import_engine_installed() else 5)
