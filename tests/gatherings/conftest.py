from tests.workshops.conftest import warm_configuration  # noqa: F401 - a fixture shared here
