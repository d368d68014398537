"""The signed-in person, read at every request by a query prepared once (issue 24).

django.contrib.auth reads the person whose id the session holds with the backend's `get_user`:
for ModelBackend, and allauth's backend which inherits it, `User._default_manager.get(pk=…)`, a
queryset built and compiled at every signed-in request (a third of what a page seen again
costs). Each session holds its backend's path, so naming another backend in
AUTHENTICATION_BACKENDS would sign everyone out: ModelBackend's method is replaced instead, by
the same read prepared once (assembly/prepared.py). What Django does around it is unchanged:
the session's hash is checked against the person's password, an inactive person is refused.

The same query answers whether the person is a facilitator (User.is_facilitator), asked on most
pages they see: one query fewer at each signed-in request. Read with the person, at each request,
a change to the group is seen at the next one as before.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from .models import FACILITATORS_GROUP
from .prepared import prepared


@prepared()
def _person(pk):
    # `_is_facilitator` is where User.is_facilitator keeps its answer for the instance.
    in_group = Group.objects.filter(user=OuterRef("pk"), name=FACILITATORS_GROUP)
    return (
        get_user_model()._default_manager.filter(pk=pk).annotate(_is_facilitator=Exists(in_group))
    )


def get_user(backend, user_id):
    """ModelBackend.get_user: the person, if they exist and may sign in."""
    found = _person(pk=user_id)
    if not found:
        return None
    user = found[0]
    return user if backend.user_can_authenticate(user) else None


def install() -> None:
    ModelBackend.get_user = get_user
