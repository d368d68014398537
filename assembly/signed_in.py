"""The signed-in person, read at every request by a query prepared once (issue 24).

django.contrib.auth reads the person whose id the session holds with the backend's `get_user`:
for ModelBackend, and allauth's backend which inherits it, `User._default_manager.get(pk=…)`, a
queryset built and compiled at every signed-in request (a third of what a page seen again
costs). Each session holds its backend's path, so naming another backend in
AUTHENTICATION_BACKENDS would sign everyone out: ModelBackend's method is replaced instead, by
the same read prepared once (assembly/prepared.py). What Django does around it is unchanged:
the session's hash is checked against the person's password, an inactive person is refused.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .prepared import prepared


@prepared()
def _person(pk):
    return get_user_model()._default_manager.filter(pk=pk)


def get_user(backend, user_id):
    """ModelBackend.get_user: the person, if they exist and may sign in."""
    found = _person(pk=user_id)
    if not found:
        return None
    user = found[0]
    return user if backend.user_can_authenticate(user) else None


def install() -> None:
    ModelBackend.get_user = get_user
