"""Who a line of an imported sheet names: a person found by e-mail first, then by their name with
accents, case and spaces set aside ("HÉLÈNE  dupont" is "Hélène Dupont"). Several people of one
name are not guessed between: the line says who they are, to be resolved by hand (an e-mail in the
sheet settles it). People the sheet introduces are remembered as they come, so that later lines
find them too.

Used by the attendance and people imports (workshops/history.py, workshops/roster.py); it reads
people in two queries and writes nothing.
"""

import dataclasses

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import User
from .people import comparable_name

# Shown when several people match a name: a few are named, the rest counted.
NAMED_IN_AMBIGUITY = 5


@dataclasses.dataclass(eq=False)
class Newcomer:
    """A person the sheet introduces, created only when the import is applied."""

    display_name: str
    email: str | None
    first_line: int
    pk: int | None = None  # once created

    def __str__(self):
        return self.display_name


@dataclasses.dataclass
class Match:
    person: User | Newcomer | None = None  # None: nobody yet, a newcomer is to be introduced
    how: str = ""  # "email", "name" or "" (new)
    ambiguous: tuple = ()  # the people of that name when more than one

    def ambiguity(self, name: str) -> str:
        """The message of an ambiguous line, naming who matches (by name and e-mail)."""
        shown = [_describe(person) for person in self.ambiguous[:NAMED_IN_AMBIGUITY]]
        more = len(self.ambiguous) - len(shown)
        if more:
            shown.append(_("and %(count)s more") % {"count": more})
        return _(
            "Several people are called “%(name)s”: %(people)s. Add the right one's e-mail "
            "address in the email column, or correct the name."
        ) % {"name": name, "people": "; ".join(shown)}


def _describe(person) -> str:
    if isinstance(person, Newcomer):
        return _("%(name)s (new, line %(line)s)") % {
            "name": person.display_name,
            "line": person.first_line,
        }
    if person.email:
        return f"{person.display_name} <{person.email}> (#{person.pk})"
    return f"{person.display_name} (#{person.pk})"


def clean_email(text: str | None) -> str | None:
    """The address in lower case, None when the cell is empty; ValueError when malformed."""
    email = (text or "").strip().lower()
    if not email:
        return None
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(email) from None
    return email


def clean_name(text: str | None) -> str:
    """The name as people write it, with runs of spaces (and line breaks) made single."""
    return " ".join((text or "").split())


class Directory:
    """Everyone an imported line may name, loaded once per import."""

    def __init__(self, people=None):
        people = User.objects.all() if people is None else people
        self._by_email: dict[str, User | Newcomer] = {}
        self._by_name: dict[str, list[User | Newcomer]] = {}
        self.people: dict[int, User] = {}
        for person in people.only("display_name", "email", "is_active", "password", "imported_at"):
            self.people[person.pk] = person
            if person.email:
                self._by_email[person.email.lower()] = person
            # A deactivated account is never given new history by its name.
            if person.is_active:
                self._by_name.setdefault(comparable_name(person.display_name), []).append(person)
        # Other addresses people confirmed (allauth) find them as well as their login address.
        for email, user_id in EmailAddress.objects.filter(
            ~Q(email=""), user_id__in=list(self.people)
        ).values_list("email", "user_id"):
            self._by_email.setdefault(email.lower(), self.people[user_id])

    def find(self, name: str, email: str | None) -> Match:
        if email and email in self._by_email:
            return Match(self._by_email[email], "email")
        candidates = self._by_name.get(comparable_name(name), [])
        if email:
            # Someone of that name with another address is someone else.
            candidates = [person for person in candidates if not person.email]
        if len(candidates) == 1:
            return Match(candidates[0], "name")
        if len(candidates) > 1:
            return Match(ambiguous=tuple(candidates))
        return Match()

    def introduce(self, name: str, email: str | None, line: int) -> Newcomer:
        """A new person for this sheet: the lines after this one find them by name or e-mail."""
        newcomer = Newcomer(name, email, line)
        if email:
            self._by_email[email] = newcomer
        self._by_name.setdefault(comparable_name(name), []).append(newcomer)
        return newcomer

    def email_taken(self, email: str) -> bool:
        return email in self._by_email
