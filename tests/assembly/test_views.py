import pytest


@pytest.mark.django_db
def test_home_is_in_french_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()
