"""The phase badge ({% phase_badge %}): the phase, or once closed the outcome, warned when it
awaits its proposal or was not adopted."""

import pytest
from django.utils import translation

from decisions.models import Decision
from decisions.templatetags.decisions import phase_badge


@pytest.mark.parametrize(
    ("phase", "outcome", "html"),
    [
        ("discussion", "", '<span class="badge">Discussion</span>\n'),
        ("awaiting", "", '<span class="badge badge-warn">Awaiting proposal</span>\n'),
        ("closed", "adopted", '<span class="badge">Adopted</span>\n'),
        ("closed", "not_adopted", '<span class="badge badge-warn">Not adopted</span>\n'),
    ],
)
def test_the_badge_names_the_phase_or_the_outcome(phase, outcome, html):
    with translation.override("en"):
        assert phase_badge(Decision(phase=phase, outcome=outcome)) == html
