"""Demo data for gatherings (run by seed_demo after the other apps): a regional gathering of two
days on four sites with two tracks, a walk of four stops, a call for sessions with proposals in
each state, registrations past the split threshold and a waitlist, and a date poll. Safe to run
twice: the gathering is found by its short name, the poll by its title."""

import datetime

from django.utils import timezone

from assembly.demo import content
from assembly.models import User
from workshops.models import Venue

from .. import services
from ..models import Format, Gathering, Poll

CONTENT = content(__name__)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def _venue(data: dict) -> Venue:
    venue = Venue.objects.filter(name=data["name"]).first()
    if venue is None:
        venue = Venue.objects.create(
            name=data["name"],
            address=data["address"],
            latitude=data["latitude"],
            longitude=data["longitude"],
        )
    return venue


def seed(scale: str, stdout) -> None:
    facilitator = User.objects.filter(email="facilitator@example.org").first()
    member = User.objects.filter(email="member@example.org").first()
    newcomer = User.objects.filter(email="newcomer@example.org").first()
    if facilitator is None or member is None:
        return
    people = list(User.objects.filter(email__endswith="@demo.example.org").order_by("pk")[:40])
    data = CONTENT["gathering"]
    if not Gathering.objects.filter(slug=data["slug"]).exists():
        _gathering(data, facilitator, member, newcomer, people)
        stdout.write(f"gatherings: {data['title']} (/gatherings/{data['slug']}/)")
    _poll(member, facilitator)


def _gathering(data, facilitator, member, newcomer, people) -> Gathering:
    first = timezone.localdate() + datetime.timedelta(days=data["days_from_now"])
    gathering = services.create_gathering(
        by=facilitator,
        title=data["title"],
        slug=data["slug"],
        starts_on=first,
        ends_on=first + datetime.timedelta(days=1),
        description=data["description"].strip(),
        registration_open=True,
        capacity=150,
        workshop_split_threshold=data["workshop_split_threshold"],
        plenary_split_threshold=data["plenary_split_threshold"],
    )
    services.add_organiser(gathering, member)
    tracks = {name: services.add_track(gathering, name) for name in data["tracks"]}
    sites = [
        services.add_site(gathering, _venue(site), rooms=site["rooms"]) for site in CONTENT["sites"]
    ]
    walk_data = CONTENT["walk"]
    walk = services.add_parcours(
        gathering,
        walk_data["title"],
        [(sites[index], _at(first, hour, minute)) for index, hour, minute in walk_data["stops"]],
        track=tracks[walk_data["track"]],
    )
    formats = {f.key: f for f in Format.objects.filter(gathering=None)}
    for person in [facilitator, member, *people[:6]]:
        services.volunteer_as_facilitator(
            gathering,
            person,
            formats=[formats["workshop"], formats["fishbowl"]],
            availability="Samedi et dimanche matin",
        )
    sessions = []
    for item in CONTENT["sessions"]:
        day = first + datetime.timedelta(days=item["day"])
        place = {}
        if item["site"] < 0:
            place["stop"] = walk.stops.get(position=1)
        elif item["room"]:
            place["room"] = sites[item["site"]].rooms.get(name=item["room"])
        else:
            place["site"] = sites[item["site"]]
        sessions.append(
            services.add_session(
                gathering,
                title=item["title"],
                description=item["description"],
                format=formats[item["format"]],
                track=tracks.get(item["track"]),
                capacity=item["capacity"] or None,
                starts_at=_at(day, item["hour"]),
                ends_at=_at(day, item["hour"] + item["hours"]),
                **place,
            )
        )
    by_title = {session.title: session for session in sessions}
    services.assign_facilitator(by_title["Plénière d'ouverture"], facilitator)
    services.assign_facilitator(by_title["Aquarium : les communs face aux plateformes"], member)
    _call(gathering, formats, member, newcomer, people, sites)
    # Registrations: everyone to the gathering; the seeds workshop fills up and keeps a
    # waitlist; the fishbowl passes the split threshold (20).
    attendees = [p for p in [member, newcomer, *people] if p is not None]
    for person in attendees[:60]:
        services.register(gathering, person)
    for person in attendees[:30]:
        services.register_for_session(by_title["Plénière d'ouverture"], person)
    for person in attendees[:16]:
        services.register_for_session(
            by_title["Semences paysannes : une grainothèque par quartier"], person
        )
    for person in attendees[5:30]:
        services.register_for_session(
            by_title["Aquarium : les communs face aux plateformes"], person
        )
    for person in attendees[:10]:
        services.register_for_session(by_title["Le parcours des communs du quartier"], person)
    # The member's own programme has a conflict to resolve: the two workshops at 11:00.
    services.register_for_session(by_title["Cartographier les communs avec OpenStreetMap"], member)
    services.publish_programme(gathering)
    # Two revisions of the minutes, so that their history shows a change; the walk stays
    # editable on the organisers' page, and a check-in at the desk counts (the default switch).
    services.write_minutes(gathering, CONTENT["minutes"]["first"].strip(), by=facilitator)
    services.write_minutes(gathering, CONTENT["minutes"]["second"].strip(), by=member)
    return gathering


def _call(gathering, formats, member, newcomer, people, sites) -> None:
    authors = [p for p in [newcomer, *people[10:14]] if p is not None]
    for index, item in enumerate(CONTENT["proposals"]):
        author = authors[index % len(authors)]
        session = services.propose_session(
            gathering,
            by=author,
            title=item["title"],
            format=formats[item["format"]],
            description="Proposé pendant l'appel à sessions.",
            preferred_slot="Dimanche après-midi",
        )
        if item["answer"]:
            services.review_proposal(session, answer=item["answer"], message=item["message"])
        if item["answer"] == "accept":
            second = gathering.ends_on
            services.place_session(
                session,
                starts_at=_at(second, 14),
                ends_at=_at(second, 15),
                room=sites[1].rooms.get(name="Atelier 1"),
            )


def _poll(member, facilitator) -> None:
    data = CONTENT["poll"]
    if Poll.objects.filter(title=data["title"]).exists():
        return
    today = timezone.localdate()
    poll = services.create_poll(
        by=member,
        title=data["title"],
        description=data["description"],
        dates=[
            _at(today + datetime.timedelta(days=n), data["hour"]) for n in data["days_from_now"]
        ],
        gathering=Gathering.objects.filter(slug=CONTENT["gathering"]["slug"]).first(),
    )
    dates = list(poll.dates.all())
    for name, *values in data["answers"]:
        services.answer_poll(
            poll,
            name=name,
            choices={date.pk: value for date, value in zip(dates, values, strict=True)},
        )
