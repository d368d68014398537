"""The `markdown` template filter, loaded as a builtin: {{ text|markdown }}."""

from django import template

from assembly.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)
