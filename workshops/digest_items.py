"""What meetings put in people's weekly digest (assembly.notifications.digest)."""

from assembly.models import Topic, User
from assembly.notifications import digest, topics

from .models import Workshop


def note_workshop_proposed(workshop: Workshop) -> int:
    """ "A new workshop is proposed" reaches the people signed up for that assembly (to one of its
    visible workshops), as an item of their digest under "my own things", unless turned off."""
    meeting = workshop.meeting
    signed_up = Workshop.objects.visible().filter(meeting=meeting).values("signups__person")
    people = User.objects.filter(pk__in=signed_up).exclude(pk=workshop.proposed_by_id)
    people = topics.not_turned_off(Topic.OWN, people)
    return digest.add_items(
        people,
        topic=Topic.OWN,
        kind="workshop_proposed",
        group_key=f"meeting:{meeting.pk}",
        group_title=meeting.title,
        title=workshop.title,
        url=workshop.get_absolute_url(),
        happened_at=workshop.created_at,
    )
