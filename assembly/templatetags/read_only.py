"""{% read_only_banner %}: the banner of a read-only season, on every page (assembly/read_only.py)."""

from django import template

from .. import read_only

register = template.Library()


@register.inclusion_tag("_read_only_banner.html")
def read_only_banner():
    return {"season": read_only.season()}
