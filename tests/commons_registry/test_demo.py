import io

import pytest
from django.core.management import call_command

from commons_registry import demo
from commons_registry.models import Commons


@pytest.mark.django_db
def test_seed_demo_is_believable_and_idempotent():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    published = Commons.objects.published()
    counts = (Commons.objects.count(), Commons.history.count())
    assert published.count() >= 25
    assert published.without_location().count() >= 3
    assert published.filter(assessments__isnull=False).distinct().count() >= 3
    assert published.filter(stewards__email="member@example.org").count() == 2
    assert Commons.objects.proposed().count() == 1
    assert published.values("category").distinct().count() >= 8
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert (Commons.objects.count(), Commons.history.count()) == counts


@pytest.mark.django_db
def test_seed_large_adds_a_thousand_once():
    demo.seed("large", io.StringIO())
    total = Commons.objects.count()
    assert Commons.objects.filter(slug__startswith=demo.LARGE_PREFIX).count() == 1000
    demo.seed("large", io.StringIO())
    assert Commons.objects.count() == total
