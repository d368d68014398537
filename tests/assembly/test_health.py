import pytest

from config.celery import app as celery_app
from tests.conftest import use_broker


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_says_which_service_failed(client):
    previous = celery_app.conf.broker_url
    use_broker("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        use_broker(previous)

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}
