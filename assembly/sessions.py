"""Sessions in the database only (SESSION_ENGINE, issue "Trust the caches"), the session's row
read by a query built and compiled once per process (assembly/prepared.py, issue 24): every
signed-in request reads it. Everything else is Django's database store."""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from .prepared import prepared


@prepared(texts=("session_key",), datetimes=("now",))
def _live_session(session_key, now):
    return Session.objects.filter(session_key=session_key, expire_date__gt=now)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        # As Django's: the row if it has not expired, else none and no key any more.
        found = _live_session(session_key=self.session_key, now=timezone.now())
        if found:
            return found[0]
        self._session_key = None
        return None
