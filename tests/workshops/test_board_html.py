"""A meeting's board written in Python (workshops/templatetags/meeting_board.py): the bytes of
the template's content block it replaced (BOARD_SOURCE, with the notes' form it includes
still, workshops/_notes_form.html), in both languages, for every case of a meeting (cancelled or not, upcoming or
past, with or without a venue, its address and access, hosts, an online link, notes, cards) and
of a viewer (anonymous, member, host, facilitator, who may write the notes); hostile text
escaped, our catalogue's words written as {% translate %} wrote them."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone, translation

from assembly.models import User
from workshops.forms import NotesForm
from workshops.models import Meeting, Venue, Workshop
from workshops.views.cards import card_context

HOSTILE = '<img src=x onerror="alert(1)">&\''
# templates/workshops/meeting_detail.html's content block before issue 24's third step (its kept
# part's tags aside: the part is kept as before, around {% board_cards %}).
BOARD_SOURCE = (
    "{% load i18n static social workshop_cards %}"
    "\n"
    '<p><a href="{% url \'meetings:index\' %}">← {% translate "Agenda" %}</a></p>\n'
    "<h1>{{ meeting.title }}</h1>\n"
    "{% if meeting.is_cancelled %}\n"
    '  <div class="notice notice-warn" role="note">\n'
    '    <p><strong>{% translate "This meeting is cancelled." %}</strong></p>\n'
    "    {{ meeting.cancellation_reason|linebreaks }}\n"
    "  </div>\n"
    "{% endif %}\n"
    '<dl class="meeting-facts">\n'
    '  <dt>{% translate "When" %}</dt>\n'
    '  <dd><time datetime="{{ meeting.starts_at|date:\'c\' }}">{{ meeting.starts_at|date:"l j F Y, H:i" }}</time> – {{ meeting.ends_at|date:"H:i" }}</dd>\n'
    '  <dt>{% translate "Where" %}</dt>\n'
    '  <dd>{% if meeting.venue %}{{ meeting.venue.name }}{% if meeting.venue.address %}, {{ meeting.venue.address }}{% endif %}{% if meeting.venue.accessibility %}<br><span class="muted">{{ meeting.venue.accessibility }}</span>{% endif %}{% else %}{% translate "Venue to be announced" %}{% endif %}</dd>\n'
    '  <dt>{% translate "Hosts" %}</dt>\n'
    '  <dd>{% for host in hosts %}{{ host }}{% if not forloop.last %}, {% endif %}{% empty %}{% translate "No host yet." %}{% endfor %}</dd>\n'
    "  {% if meeting.online_link %}\n"
    '  <dt>{% translate "Online" %}</dt>\n'
    '  <dd>{% if can_see_meeting_link %}<a class="online-link" href="{{ meeting.online_link }}" rel="noopener noreferrer">{{ meeting.online_link }}</a>{% else %}<span class="muted">{% translate "This meeting can also be joined online: the link is shown to its hosts and to the people who signed up to one of its workshops." %}</span>{% endif %}</dd>\n'
    "  {% endif %}\n"
    "</dl>\n"
    '<p class="actions">\n'
    '  <a href="{% url \'meetings:ics\' meeting.pk %}">{% translate "Add to my calendar" %}</a>\n'
    '  {% if can_record_attendance %} · <a href="{% url \'meetings:attendance\' meeting.pk %}">{% translate "Attendance sheet" %}</a>{% endif %}\n'
    "</p>\n"
    "{% if can_manage_meetings %}\n"
    '<div class="actions meeting-admin">\n'
    '  <a href="{% url \'meetings:edit\' meeting.pk %}">{% translate "Edit the meeting" %}</a>\n'
    '  {% if can_cancel %} · <a href="{% url \'meetings:cancel\' meeting.pk %}">{% translate "Cancel the meeting" %}</a>{% endif %}\n'
    "  {% if can_reinstate %}\n"
    '    <form method="post" action="{% url \'meetings:reinstate\' meeting.pk %}" class="inline-form">\n'
    "      {% csrf_token %}\n"
    '      <button type="submit" class="secondary">{% translate "Plan it again (cancelled by mistake)" %}</button>\n'
    "    </form>\n"
    "  {% endif %}\n"
    "</div>\n"
    "{% endif %}\n"
    "{% if can_volunteer %}\n"
    '  <form method="post" action="{% url \'meetings:host\' meeting.pk %}" class="inline-form">\n'
    "    {% csrf_token %}\n"
    '    <button type="submit" class="secondary">{% translate "Volunteer to host" %}</button>\n'
    "  </form>\n"
    "{% elif is_host and can_withdraw %}\n"
    '  <form method="post" action="{% url \'meetings:host\' meeting.pk %}" class="inline-form">\n'
    "    {% csrf_token %}\n"
    '    <input type="hidden" name="action" value="withdraw">\n'
    '    {% translate "You host this meeting. Thank you!" %}\n'
    '    <button type="submit" class="link-button">{% translate "I can no longer host it" %}</button>\n'
    "  </form>\n"
    "{% elif is_host %}\n"
    '  <p>{% translate "You host this meeting. Thank you!" %}</p>\n'
    "{% endif %}\n"
    "\n"
    '<h2>{% translate "Workshops" %}</h2>\n'
    '<p class="muted">{% translate "Anyone may propose a workshop. The ones people sign up for are the ones that happen." %}</p>\n'
    "{% if can_propose %}\n"
    '  <p><a class="button" href="{% url \'workshops:propose\' %}?meeting={{ meeting.pk }}">{% translate "Propose a workshop" %}</a></p>\n'
    "{% elif not user.is_authenticated and not meeting.is_cancelled %}\n"
    '  <p><a href="{% url \'account_login\' %}?next={{ request.path|urlencode }}">{% translate "Log in to propose a workshop or sign up." %}</a></p>\n'
    "{% endif %}\n"
    "\n"
    "{% if cards %}\n"
    '  <ol class="card-list workshop-board">\n'
    "    {% for card in cards %}\n"
    "      <li>{% workshop_card card %}</li>\n"
    "    {% endfor %}\n"
    "  </ol>\n"
    "{% else %}\n"
    '  <p class="empty">{% translate "No workshop yet. Be the first to propose one!" %}</p>\n'
    "{% endif %}\n"
    "\n"
    "\n"
    '<h2>{% translate "Plenary notes" %}</h2>\n'
    "{% if meeting.plenary_notes %}\n"
    '  <div class="notes">{{ meeting.plenary_notes|markdown }}</div>\n'
    "{% else %}\n"
    '  <p class="empty">{% translate "No notes yet." %}</p>\n'
    "{% endif %}\n"
    '<p><a href="{% url \'meetings:notes-history\' meeting.pk %}">{% translate "History of the plenary notes" %}</a> · <a href="{% url \'meetings:minutes\' meeting.pk %}">{% translate "Minutes of this meeting" %}</a></p>\n'
    "{% if can_write_notes %}\n"
    "  {% url 'meetings:notes' meeting.pk as action %}\n"
    '  {% translate "Plenary notes" as label %}\n'
    '  {% include "workshops/_notes_form.html" %}\n'
    "{% endif %}\n"
)
NEW_SOURCE = "{% load meeting_board %}{% board_top %}{% board_cards cards %}{% board_notes %}"
STARTS = timezone.make_aware(datetime.datetime(2026, 3, 7, 9, 5), datetime.UTC)


def _meeting(*, venue, cancelled, online, notes, revision):
    meeting = Meeting(
        pk=1234,
        title=f"L'assemblée {HOSTILE}",
        starts_at=STARTS,
        ends_at=STARTS + datetime.timedelta(hours=3, minutes=30),
        status=Meeting.Status.CANCELLED if cancelled else Meeting.Status.PLANNED,
        cancellation_reason=f"Pluie {HOSTILE}\n\nVraiment." if cancelled else "",
        online_link=f"https://visio.example/r?a=1&b={HOSTILE}" if online else "",
        plenary_notes=f"*Dit* {HOSTILE}\n\n- un" if notes else "",
    )
    meeting.venue = (
        Venue(
            pk=3,
            name=f"Salle {HOSTILE}",
            address=f"1 rue d'Été {HOSTILE}" if venue > 1 else "",
            accessibility=f"Rampe {HOSTILE}" if venue > 2 else "",
        )
        if venue
        else None
    )
    meeting.notes_revision = revision
    return meeting


def _cards(count, viewer):
    cards = []
    for pk in range(count):
        workshop = Workshop(
            pk=40 + pk,
            title=f"Atelier {HOSTILE}",
            capacity=2 if pk else None,
            is_initiation=not pk,
            hidden=pk == 2,
            notes=f"*Notes* {HOSTILE}" if pk == 1 else "",
            online_link="https://visio.example/w" if pk == 1 else "",
            needs_projector=pk == 1,
        )
        workshop.signup_count = pk
        workshop.proposed_by = User(pk=9, display_name=f"Ann {HOSTILE}") if pk else None
        workshop.signed_up = pk == 1
        cards.append(
            card_context(
                workshop,
                viewer,
                signed_up=workshop.signed_up,
                open_for_signups=True,
                runs=frozenset({41}),
                facilitator=False,
                sees_link=pk == 1,
            )
        )
    return cards


def _context(meeting, viewer, flags, cards, path="/meetings/1234/"):
    request = RequestFactory().get(path)
    request.user = viewer
    context = {
        "meeting": meeting,
        "hosts": ["Fatou", f"Bob {HOSTILE}"] if flags["hosts"] else [],
        "cards": cards,
        "user": viewer,
        "request": request,
        "csrf_token": "TOKEN123",
        **{name: value for name, value in flags.items() if name != "hosts"},
    }
    context["notes_form"] = NotesForm(
        initial={"notes": meeting.plenary_notes, "revision": meeting.notes_revision}
    )
    return context


def _render(source, context, language):
    with translation.override(language):
        return engines["django"].from_string(source).render(context)


FLAGS = (
    "hosts",
    "is_host",
    "can_see_meeting_link",
    "can_propose",
    "can_volunteer",
    "can_withdraw",
    "can_write_notes",
    "can_record_attendance",
    "can_manage_meetings",
    "can_cancel",
    "can_reinstate",
)
MEETINGS = [
    {"venue": 3, "cancelled": False, "online": True, "notes": True, "revision": 12345},
    {"venue": 2, "cancelled": True, "online": False, "notes": False, "revision": None},
    {"venue": 1, "cancelled": False, "online": True, "notes": True, "revision": 7},
    {"venue": 0, "cancelled": True, "online": True, "notes": False, "revision": 1},
]


def _flag_cases():
    """Every flag alone, none, all, and each pair that changes which form a host sees."""
    yield dict.fromkeys(FLAGS, False)
    yield dict.fromkeys(FLAGS, True)
    for name in FLAGS:
        yield {flag: flag == name for flag in FLAGS}
    for volunteer, host, withdraw in itertools.product([False, True], repeat=3):
        yield {
            **dict.fromkeys(FLAGS, False),
            "can_volunteer": volunteer,
            "is_host": host,
            "can_withdraw": withdraw,
        }


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("meeting_case", MEETINGS)
@pytest.mark.parametrize("anonymous", [False, True])
def test_the_board_is_the_templates_html(language, meeting_case, anonymous):
    meeting = _meeting(**meeting_case)
    viewer = AnonymousUser() if anonymous else User(pk=5, display_name="Member")
    for flags in _flag_cases():
        for cards in ([], _cards(3, viewer)):
            context = _context(meeting, viewer, flags, cards)
            expected = _render(BOARD_SOURCE, context, language)
            found = _render(NEW_SOURCE, context, language)
            assert found == expected, (flags, len(cards))
            assert "<img" not in found


def test_the_login_link_comes_back_to_the_board_as_the_template_escaped_it():
    meeting = _meeting(venue=0, cancelled=False, online=False, notes=False, revision=None)
    context = _context(
        meeting, AnonymousUser(), dict.fromkeys(FLAGS, False), [], path="/meetings/1234/é&x/"
    )
    found = _render(NEW_SOURCE, context, "fr")

    assert found == _render(BOARD_SOURCE, context, "fr")
    assert "?next=/meetings/1234/%C3%A9%26x/" in found


def test_messages_are_inserted_as_their_tags_inserted_them(french_says):
    french_says("When", "<em>Quand</em> & où")
    french_says("Plenary notes", "<b>Compte</b> d'abord")
    french_says("You host this meeting. Thank you!", "<i>Merci</i> & bravo")
    meeting = _meeting(**MEETINGS[0])
    flags = {**dict.fromkeys(FLAGS, True), "can_volunteer": False}
    context = _context(meeting, User(pk=5), flags, [])
    found = _render(NEW_SOURCE, context, "fr")

    assert found == _render(BOARD_SOURCE, context, "fr")
    assert "<em>Quand</em> & où" in found
    assert "<b>Compte</b> d'abord" in found
    assert "<i>Merci</i> & bravo" in found


HEAD_SOURCE = (
    "{% load social static %}"
    '{% social_meta title=meeting.title description=meeting.starts_at|date:"DATETIME_FORMAT" %}'
    '<link rel="stylesheet" href="{% static \'css/workshops.css\' %}">'
)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("hour", [0, 9, 11, 12, 23])
def test_the_boards_head_is_the_templates(language, hour):
    meeting = _meeting(**MEETINGS[0])
    # In Paris: 01:00, 10:05, noon, 13:00 and midnight (English writes "noon", "midnight").
    meeting.starts_at = STARTS.replace(hour=hour, minute=5 if hour == 9 else 0)
    request = RequestFactory().get("/meetings/1234/")
    context = {"meeting": meeting, "request": request, "LANGUAGE_CODE": language}
    found = _render(
        "{% load meeting_board %}{% board_social_meta %}{% board_stylesheet %}", context, language
    )

    assert found == _render(HEAD_SOURCE, context, language)
    assert "&lt;img" in found
