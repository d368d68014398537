"""A meeting's minutes printed from Chromium to an A4 PDF: nothing is cut off, the navigation is
not printed, and the last workshop's notes reach the paper."""

import datetime
import io
import re
import unicodedata

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.workshops.factories import AttendanceFactory, MeetingFactory, WorkshopFactory

pypdf = pytest.importorskip("pypdf", reason="pypdf reads the printed PDF (pip install pypdf)")

pytestmark = pytest.mark.django_db(transaction=True)

A4_POINTS = (595.3, 841.9)  # 210 × 297 mm; Chromium rounds its paper to a hundredth of an inch
PARAGRAPH = (
    "Nous avons fait le tour des jardins partagés du quartier et de leurs besoins en eau, "
    "en outils et en bras pour l'hiver qui vient. "
)


def _words(text: str) -> str:
    """The PDF's text without its line breaks and spaces, and with ligatures undone (the
    printed "fi" is one glyph), for searching."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_minutes_print_on_a4_with_nothing_cut_off(page):
    starts = (timezone.now() - datetime.timedelta(days=3)).replace(microsecond=0)
    meeting = MeetingFactory(
        title="Assemblée de novembre",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        plenary_notes="## Tour de table\n\n" + PARAGRAPH * 12,
    )
    AttendanceFactory(
        meeting=meeting, person=UserFactory(display_name="Hélène Listée", listed=True)
    )
    for number in range(1, 7):
        WorkshopFactory(
            meeting=meeting,
            title=f"Atelier {number} : les communs du quartier",
            notes=f"### Ce qui s'est dit\n\n{PARAGRAPH * 6}\n\n- une idée\n- une autre idée\n",
        )
    last = WorkshopFactory(
        meeting=meeting,
        title="Vélo-école en fin de liste",
        notes=PARAGRAPH
        * 4
        + "\n\nLien : https://example.org/un/tres/long/chemin/sans/espace/qui/ne/doit/pas/"
        "deborder/de/la/page/imprimee\n\nDernière phrase des notes du dernier atelier.",
    )

    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Compte rendu de cette réunion").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/minutes/")
    assert page.get_by_role("heading", name=last.title).is_visible()

    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = unicodedata.normalize("NFKC", "\n".join(sheet.extract_text() for sheet in pdf.pages))
    flat = _words(text)

    assert len(pdf.pages) >= 2
    for sheet in pdf.pages:
        box = sheet.mediabox
        assert abs(float(box.width) - A4_POINTS[0]) < 2
        assert abs(float(box.height) - A4_POINTS[1]) < 2
    # Every workshop is there, the last one with the very end of its notes.
    for number in range(1, 7):
        assert _words(f"Atelier {number} : les communs du quartier") in flat
    assert _words(last.title) in flat
    assert _words("Dernière phrase des notes du dernier atelier.") in flat
    # The long link wraps inside the page rather than running off its right edge.
    assert _words("https://example.org/un/tres/long/chemin/sans/espace") in flat
    assert "deborder/de/la/page/imprimee" in flat
    # What is for the screen only stays off the paper.
    assert "Retour à la réunion" not in text
    assert "Aller au contenu" not in text
    assert _words("Hélène Listée") in flat
