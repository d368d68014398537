"""assembly/active_language.py: get_language() without asgiref's lock gives Django's answer,
whatever is active, in other threads and async code too."""

import asyncio
import threading

from asgiref.local import Local
from asgiref.sync import async_to_sync, sync_to_async
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import trans_real

from assembly import active_language

django_get_language = active_language._django_get_language


def _both():
    return active_language.get_language(), django_get_language()


def test_it_is_the_one_django_uses():
    assert trans_real.get_language is active_language.get_language
    assert translation.get_language() == django_get_language()


def test_the_same_answer_whatever_is_active():
    answers = []
    with translation.override("en"):
        answers.append(("en", _both()))
        with translation.override("fr"):
            answers.append(("fr", _both()))
        translation.deactivate_all()
        answers.append((None, _both()))
    translation.deactivate()
    answers.append(("settings", _both()))

    for _expected, (ours, django) in answers:
        assert ours == django
    assert [both[0] for _e, both in answers[:3]] == ["en", "fr", None]


def test_another_thread_does_not_see_this_ones_language():
    seen = {}

    def other():
        seen["before"] = _both()
        translation.activate("en")
        seen["after"] = _both()

    with translation.override("fr"):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        assert _both() == ("fr", "fr")

    assert seen["before"][0] == seen["before"][1]
    assert seen["after"] == ("en", "en")


def test_async_code_sees_the_language_of_its_caller():
    async def in_task():
        inner = await sync_to_async(_both)()
        return _both(), inner

    found = {}

    def caller():
        with translation.override("en"):
            found["outer"], found["inner"] = async_to_sync(in_task)()
            found["tasks"] = asyncio.run(_gathered())

    # In a thread of its own: the browser tests' Playwright leaves an event loop running in the
    # main thread of the process that ran them, where async_to_sync() refuses to run.
    thread = threading.Thread(target=caller)
    thread.start()
    thread.join()
    outer, inner, tasks = found["outer"], found["inner"], found["tasks"]

    assert outer == inner == ("en", "en")
    assert tasks == [("fr", "fr"), ("en", "en")]


async def _gathered():
    async def one(language):
        translation.activate(language)
        await asyncio.sleep(0)
        return _both()

    return list(await asyncio.gather(one("fr"), one("en")))


def test_a_local_of_another_shape_goes_through_djangos(monkeypatch):
    monkeypatch.setattr(trans_real, "_active", Local(thread_critical=True))
    translation.activate("en")

    assert _both() == ("en", "en")


MESSAGES = ["Search", "", "Log out", "line\r\nbreak", SafeString("Search"), "not a known message"]


def _translated():
    answers = []
    for message in MESSAGES:
        ours, django = active_language.gettext(message), active_language._django_gettext(message)
        assert (ours, type(ours)) == (django, type(django))
        answers.append(ours)
    return answers


def test_gettext_gives_djangos_translation_whatever_is_active():
    assert trans_real.gettext is active_language.gettext
    with translation.override("fr"):
        french = _translated()
        translation.deactivate_all()
        untranslated = _translated()
    with translation.override("en"):
        english = _translated()
    translation.deactivate()
    default = _translated()

    assert french[0] == "Chercher" and english[0] == untranslated[0] == "Search"
    assert default == french  # LANGUAGE_CODE
    assert isinstance(french[4], SafeString)


def test_gettext_in_another_thread_uses_the_default_translation():
    seen = []
    with translation.override("en"):
        thread = threading.Thread(target=lambda: seen.append(_translated()))
        thread.start()
        thread.join()

    assert seen[0][0] == "Chercher"
