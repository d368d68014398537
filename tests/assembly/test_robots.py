"""/robots.txt: for crawlers, and the trivial page `make bench` measures every page against."""

import pytest


@pytest.mark.django_db
def test_robots_txt_is_constant_text_without_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /me/",
    ]
