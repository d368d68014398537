"""A workshop's card ({% workshop_card %}), written in Python: the bytes the included template
wrote, what people wrote escaped, our catalogue's words not, in French and in English."""

import pytest
from django.template import engines
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from assembly.models import User
from workshops.models import Workshop
from workshops.templatetags.workshop_cards import Words, render_card

HOSTILE = "<script>alert(\"x\")</script> & 'q'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"


def _workshop(**fields):
    signup_count = fields.pop("signup_count", 1)
    proposed_by = fields.pop("proposed_by", None)
    workshop = Workshop(pk=7, **fields)
    workshop.signup_count = signup_count
    workshop.proposed_by = proposed_by
    return workshop


def _card(workshop, **flags):
    return {
        "workshop": workshop,
        "signed_up": False,
        "is_full": False,
        "can_sign_up": False,
        "can_edit": False,
        "can_hide": False,
        "can_see_link": False,
        **flags,
    }


def _render(card, language, csrf_token="TOKEN"):
    with translation.override(language):
        return render_card(card, words=Words(), csrf_token=csrf_token)


def test_every_part_of_the_card_as_the_template_wrote_it():
    workshop = _workshop(
        title="<b>Soup</b> & bread",
        hidden=True,
        is_initiation=True,
        capacity=3,
        signup_count=3,
        notes="*Ate*",
        online_link="https://visio.example/x?a=1&b=2",
        needs_work_tables=True,
        needs_projector=True,
        proposed_by=User(pk=3, display_name="Ann <i>"),
    )
    card = _card(
        workshop,
        signed_up=True,
        is_full=True,
        can_sign_up=True,
        can_edit=True,
        can_hide=True,
        can_see_link=True,
        error="No <way>",
    )
    assert _render(card, "en") == (
        '<article class="card workshop-card is-hidden" id="workshop-7">\n'
        '  <h3 class="card-title"><a href="/workshops/7/">&lt;b&gt;Soup&lt;/b&gt; &amp; bread</a>'
        "</h3>\n"
        "  <p>\n"
        '    <span class="badge">Initiation</span>\n'
        '    <span class="badge badge-warn">Hidden from the public</span>\n'
        '    <span class="signup-count">3 people in</span>\n'
        '    <span class="muted">/ 3 places</span>\n'
        '    <span class="badge badge-warn">Full</span>\n'
        "  </p>\n"
        '  <p class="muted">Proposed by Ann &lt;i&gt;</p>\n'
        '  <p class="muted">Needs: work tables, projector</p>\n'
        '  <p><strong>Online link:</strong> <a class="online-link" '
        'href="https://visio.example/x?a=1&amp;b=2" rel="noopener noreferrer">'
        "https://visio.example/x?a=1&amp;b=2</a></p>\n"
        "  \n"
        '  <p class="message message-error" role="alert">No &lt;way&gt;</p>\n'
        "  \n"
        '    <form method="post" action="/workshops/7/sign-up/" class="inline-form"\n'
        '          hx-post="/workshops/7/sign-up/" hx-target="#workshop-7" hx-swap="outerHTML">\n'
        '      <input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">\n'
        "      \n"
        '        <input type="hidden" name="action" value="out">\n'
        '        <button type="submit" class="secondary">I\'m out</button>\n'
        '        <span class="badge">You\'re in</span>\n'
        "      \n"
        "    </form>\n"
        "  \n"
        '  <a class="card-action" href="/workshops/7/edit/">Edit</a>\n'
        "  \n"
        '    <form method="post" action="/workshops/7/hide/" class="inline-form">\n'
        '      <input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">\n'
        '      <input type="hidden" name="hidden" value="0">\n'
        '      <button type="submit" class="link-button card-action">Show again</button>\n'
        "    </form>\n"
        "  \n"
        '  <details><summary>Notes</summary><div class="notes"><p><em>Ate</em></p></div></details>\n'
        "</article>\n"
    )


def test_a_plain_card_keeps_the_template_s_empty_lines():
    card = _card(_workshop(title="Plain", online_link="https://v.example/"))
    assert _render(card, "en") == (
        '<article class="card workshop-card" id="workshop-7">\n'
        '  <h3 class="card-title"><a href="/workshops/7/">Plain</a></h3>\n'
        "  <p>\n"
        "    \n"
        "    \n"
        '    <span class="signup-count">1 person in</span>\n'
        "    \n"
        "  </p>\n"
        "  \n"
        "  \n"
        '  <p class="muted">Can also be joined online: the link is shown to the people signed up.'
        "</p>\n"
        "  \n"
        "  \n"
        "  \n"
        "  \n"
        "  \n"
        "</article>\n"
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Proposed by ", "0 people in", "I'm in", "Online link:", "Edit", "Hide"]),
        ("fr", ["Proposé par ", "0 inscrit·e", "J’en suis", "Lien en ligne :", "Modifier"]),
    ],
)
def test_people_s_text_is_escaped_and_our_words_are_not(language, words):
    workshop = _workshop(
        title=HOSTILE,
        signup_count=0,
        online_link="https://visio.example/?q=" + HOSTILE,
        proposed_by=User(pk=3, display_name=HOSTILE),
    )
    card = _card(
        workshop, can_sign_up=True, can_edit=True, can_hide=True, can_see_link=True, done=HOSTILE
    )
    html = _render(card, language)
    assert "<script>" not in html
    assert f'<a href="/workshops/7/">{ESCAPED}</a>' in html
    assert f"{words[0]}{ESCAPED}</p>" in html
    assert f'href="https://visio.example/?q={ESCAPED}"' in html
    assert f'<p class="message" role="status">{ESCAPED}</p>' in html
    for word in words[1:]:
        assert word in html


def test_the_token_is_read_only_for_a_form():
    read = []
    token = SimpleLazyObject(lambda: read.append(True) or "TOKEN")
    html = _render(_card(_workshop(title="Plain")), "en", csrf_token=token)
    assert "csrfmiddlewaretoken" not in html
    assert not read
    html = _render(_card(_workshop(title="Plain"), can_hide=True), "en", csrf_token=token)
    assert '<input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">' in html


@pytest.mark.parametrize(
    ("language", "counts"),
    [
        ("en", ["0 people in", "1 person in", "2 people in"]),
        ("fr", ["0 inscrit·e", "1 inscrit·e", "2 inscrit·es"]),
    ],
)
def test_the_tag_renders_each_card_in_the_page_s_language(language, counts):
    page = engines["django"].from_string(
        "{% load workshop_cards %}{% for card in cards %}{% workshop_card card %}{% endfor %}"
    )
    cards = [_card(_workshop(title=f"W{n}", signup_count=n)) for n in range(3)]
    with translation.override(language):
        html = page.render({"cards": cards})
    assert html.count("<article") == 3
    for count in counts:
        assert f'<span class="signup-count">{count}</span>' in html


@pytest.mark.parametrize(
    ("language", "needs", "line"),
    [
        ("en", ["whiteboard", "good internet"], "Needs: whiteboard, good internet"),
        (
            "fr",
            ["tableau blanc", "bonne connexion internet"],
            "Besoins : tableau blanc, bonne connexion internet",
        ),
    ],
)
def test_the_needs_line_says_what_workshop_needs_says(language, needs, line):
    workshop = _workshop(title="T", needs_whiteboard=True, needs_good_internet=True)
    words = Words()  # one for both cards: the second's line is the one written for the first
    with translation.override(language):
        assert workshop.needs == needs
        cards = [render_card(_card(workshop), words=words, csrf_token=None) for _ in range(2)]
    assert cards[0] == cards[1]
    assert f'<p class="muted">{line}</p>' in cards[0]
