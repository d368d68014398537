"""{% follow_ups_of batch as actions %}: the explicit actions that follow an applied import
(invite the people it registered, send the notice to its subscribers), for the batch's page."""

from django import template

from assembly import follow_ups

register = template.Library()


@register.simple_tag
def follow_ups_of(batch) -> list[follow_ups.Action]:
    return follow_ups.actions_for(batch)
