"""Django's form templates that every form here goes through, written in Python (issue 24): the
same bytes for a fraction of the work.

A form is rendered by Django's form templates: the form (div.html), each field (field.html), its
label (label.html), its errors, its widget (input, textarea, select, radio buttons…), each one
including others (attrs.html for every tag and option). The template engine spends some twenty
function calls on each variable and tag: the four fields of the profile form on /me/ cost 8,500
calls, the vote form 6,000, on pages whose whole first view is some 25,000.

`FormRenderer` is Django's `TemplatesSetting` (widget templates found through TEMPLATES, the
picker's under templates/), except that the templates below are Python functions giving what
the template gives: the same text between the tags, the same escaping (`{{ value }}` is
localised and `conditional_escape`d, `|stringformat:'s'` is `str()` escaped unless safe), the
same calls on the bound field and widget (a field's label, errors and widget still go through
the renderer, so a field or widget with a template of its own keeps it). Like Django, the renderer
strips what it renders.

Each function stands for one exact template text, kept next to it. The first time it renders, the
renderer reads the templates TEMPLATES would use for these names and keeps the functions only if
every one is, to the byte, the text they were written for: a project template that overrides one
of them, or a Django upgrade that changes one, sends every form back through the templates
(tests/assembly/test_form_rendering.py then fails, so that the functions are brought up to date).
The check is made once per process: a new override shows after a restart.
An option whose template is not one of these, or a context without what Django's widgets give,
sends that widget to the templates.

The renderer's bound fields (`BoundField` below) translate a lazy label and help text once.
"""

import html

from django import forms
from django.forms.renderers import TemplatesSetting
from django.template import TemplateDoesNotExist
from django.utils.formats import localize
from django.utils.functional import Promise, cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime

# name: (the template's exact text, the function that writes what it renders, unstripped)
WRITTEN = {}


class NotWritten(Exception):
    """An option's template is not one written here: the widget goes to the templates."""


def _writes(*names, text):
    def register(function):
        for name in names:
            WRITTEN[name] = (text, function)
        return function

    return register


def _text(value) -> str:
    """`{{ value }}` in an autoescaped template (Django's `render_value_in_context`)."""
    if type(value) is str:
        # What django.utils.html.escape() gives, without its check for a lazy argument.
        return html.escape(value)
    if not isinstance(value, str):
        value = localize(template_localtime(value))
        if not isinstance(value, str):
            value = str(value)
    return conditional_escape(value)


def _html(value) -> str:
    """`{{ value }}` of what renders itself (a bound field, an error list, a field's label tag):
    neither a date nor a number, so what `_text` gives without asking."""
    return conditional_escape(str(value))


def _string(value) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe value safe, escapes the others."""
    text = str(value)
    return text if isinstance(value, SafeData) else html.escape(text)


def _include(name: str, widget: dict) -> str:
    """`{% include name with widget=widget %}` of an option's template."""
    written = WRITTEN.get(name)
    if written is None:
        raise NotWritten(name)
    return written[1]({"widget": widget})


# --- Attributes, labels, errors -------------------------------------------------------------------

ATTRS = (
    "{% for name, value in attrs.items %}{% if value is not False %} {{ name }}{% if value is not "
    "True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
)


def _attrs(attrs) -> str:
    if not attrs:
        return ""
    # A list comprehension: one call, where a generator expression is one per attribute.
    return "".join(
        [
            f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"'
            for name, value in attrs.items()
            if value is not False
        ]
    )


@_writes("django/forms/attrs.html", text=ATTRS)
def _label_attrs(context):
    return _attrs(context["attrs"])


@_writes("django/forms/widgets/attrs.html", text=ATTRS.replace("attrs.items", "widget.attrs.items"))
def _widget_attrs(context):
    return _attrs(context["widget"]["attrs"])


@_writes(
    "django/forms/label.html",
    text=(
        "{% if use_tag %}<{{ tag }}{% include 'django/forms/attrs.html' %}>{{ label }}</{{ tag }}>"
        "{% else %}{{ label }}{% endif %}\n"
    ),
)
def _label(context):
    if context["use_tag"]:
        tag = _text(context["tag"])
        return f"<{tag}{_attrs(context['attrs'])}>{_text(context['label'])}</{tag}>\n"
    return f"{_text(context['label'])}\n"


ERROR_LIST = (
    '{% if errors %}<ul class="{{ error_class }}"{% if errors.field_id %} '
    'id="{{ errors.field_id }}_error"{% endif %}>{% for error in errors %}<li>{{ error }}</li>'
    "{% endfor %}</ul>{% endif %}"
)


@_writes("django/forms/errors/list/ul.html", text=ERROR_LIST)
def _error_list(context):
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    return "".join(
        [
            f'<ul class="{_text(context["error_class"])}"',
            f' id="{_text(field_id)}_error">' if field_id else ">",
            *[f"<li>{_text(error)}</li>" for error in errors],
            "</ul>",
        ]
    )


@_writes(
    "django/forms/errors/list/default.html",
    text='{% include "django/forms/errors/list/ul.html" %}',
)
def _error_list_default(context):
    return _error_list(context)


# --- The form and its fields ----------------------------------------------------------------------


@_writes(
    "django/forms/div.html",
    text="""{{ errors }}
{% if errors and not fields %}
  <div>{% for field in hidden_fields %}{{ field }}{% endfor %}</div>
{% endif %}
{% for field, errors in fields %}
  <div{% with classes=field.css_classes %}{% if classes %} class="{{ classes }}"{% endif %}{% endwith %}>
    {{ field.as_field_group }}
    {% if forloop.last %}
      {% for field in hidden_fields %}{{ field }}{% endfor %}
    {% endif %}
</div>
{% endfor %}
{% if not fields and not errors %}
  {% for field in hidden_fields %}{{ field }}{% endfor %}
{% endif %}
""",
)
def _form(context):
    errors, fields, hidden = context["errors"], context["fields"], context["hidden_fields"]
    out = [_html(errors), "\n"]
    if errors and not fields:
        out += ["\n  <div>", *map(_html, hidden), "</div>\n"]
    out.append("\n")
    last = len(fields) - 1
    for index, (field, _errors) in enumerate(fields):
        classes = field.css_classes()
        out += [
            f'\n  <div class="{_text(classes)}">\n    ' if classes else "\n  <div>\n    ",
            _html(field.as_field_group()),
            "\n    ",
        ]
        if index == last:
            out += ["\n      ", *map(_html, hidden), "\n    "]
        out.append("\n</div>\n")
    out.append("\n")
    if not fields and not errors:
        out += ["\n  ", *map(_html, hidden), "\n"]
    out.append("\n")
    return "".join(out)


@_writes(
    "django/forms/field.html",
    text="""{% if field.use_fieldset %}
  <fieldset{% if field.aria_describedby %} aria-describedby="{{ field.aria_describedby }}"{% endif %}>
  {% if field.label %}{{ field.legend_tag }}{% endif %}
{% else %}
  {% if field.label %}{{ field.label_tag }}{% endif %}
{% endif %}
{% if field.help_text %}<div class="helptext"{% if field.auto_id %} id="{{ field.auto_id }}_helptext"{% endif %}>{{ field.help_text|safe }}</div>{% endif %}
{{ field.errors }}
{{ field }}{% if field.use_fieldset %}</fieldset>{% endif %}
""",
)
def _field(context):
    field = context["field"]
    fieldset = field.use_fieldset
    if fieldset:
        described = field.aria_describedby
        out = [
            f'\n  <fieldset aria-describedby="{_text(described)}">\n  '
            if described
            else "\n  <fieldset>\n  ",
            _html(field.legend_tag()) if field.label else "",
            "\n",
        ]
    else:
        out = ["\n  ", _html(field.label_tag()) if field.label else "", "\n"]
    out.append("\n")
    if field.help_text:
        auto_id = field.auto_id
        out += [
            f'<div class="helptext" id="{_text(auto_id)}_helptext">'
            if auto_id
            else '<div class="helptext">',
            str(field.help_text),  # |safe
            "</div>",
        ]
    out += ["\n", _html(field.errors), "\n", _html(field), "</fieldset>\n" if fieldset else "\n"]
    return "".join(out)


# --- Widgets --------------------------------------------------------------------------------------

INCLUDE = '{%% include "django/forms/widgets/%s.html" %%}\n'
# The widgets whose template only includes input.html.
INPUTS = "text checkbox color date datetime email file hidden number password search tel time url"


@_writes(
    "django/forms/widgets/input.html",
    text=(
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
        "value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n'
    ),
)
def _input(context):
    widget = context["widget"]
    value = widget["value"]
    return "".join(
        [
            f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"',
            "" if value is None else f' value="{_string(value)}"',
            _attrs(widget["attrs"]),
            ">\n",
        ]
    )


@_writes(
    *[f"django/forms/widgets/{name}.html" for name in INPUTS.split()],
    text=INCLUDE % "input",
)
def _includes_input(context):
    return _input(context) + "\n"


@_writes(
    "django/forms/widgets/textarea.html",
    text=(
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
    ),
)
def _textarea(context):
    widget = context["widget"]
    value = widget["value"]
    return "".join(
        [
            f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n',
            _text(value) if value else "",
            "</textarea>\n",
        ]
    )


@_writes(
    "django/forms/widgets/select.html",
    text="""<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}
  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}
  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}
  </optgroup>{% endif %}{% endfor %}
</select>
""",
)
def _select(context):
    widget = context["widget"]
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            out += ["\n  ", _include(option["template_name"], option)]
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


@_writes(
    "django/forms/widgets/select_option.html",
    text=(
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
    ),
)
def _select_option(context):
    widget = context["widget"]
    return (
        f'<option value="{_string(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{_text(widget['label'])}</option>\n"
    )


@_writes(
    "django/forms/widgets/multiple_input.html",
    text="""{% with id=widget.attrs.id %}<div{% if id %} id="{{ id }}"{% endif %}{% if widget.attrs.class %} class="{{ widget.attrs.class }}"{% endif %}>{% for group, options, index in widget.optgroups %}{% if group %}
  <div><label>{{ group }}</label>{% endif %}{% for option in options %}<div>
    {% include option.template_name with widget=option %}</div>{% endfor %}{% if group %}
  </div>{% endif %}{% endfor %}
</div>{% endwith %}
""",
)
def _multiple_input(context):
    widget = context["widget"]
    attrs = widget["attrs"]
    out = ["<div"]
    if id_ := attrs.get("id"):
        out.append(f' id="{_text(id_)}"')
    if css_class := attrs.get("class"):
        out.append(f' class="{_text(css_class)}"')
    out.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            out += ["<div>\n    ", _include(option["template_name"], option), "</div>"]
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n")
    return "".join(out)


@_writes(
    "django/forms/widgets/radio.html",
    "django/forms/widgets/checkbox_select.html",
    text=INCLUDE % "multiple_input",
)
def _includes_multiple_input(context):
    return _multiple_input(context) + "\n"


@_writes(
    "django/forms/widgets/input_option.html",
    text=(
        "{% if widget.wrap_label %}<label{% if widget.attrs.id %} "
        'for="{{ widget.attrs.id }}"{% endif %}>{% endif %}'
        '{% include "django/forms/widgets/input.html" %}'
        "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}\n"
    ),
)
def _input_option(context):
    widget = context["widget"]
    if not widget.get("wrap_label"):
        return _input(context) + "\n"
    id_ = widget["attrs"].get("id")
    return "".join(
        [
            f'<label for="{_text(id_)}">' if id_ else "<label>",
            _input(context),
            f" {_text(widget['label'])}</label>\n",
        ]
    )


@_writes(
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_option.html",
    text=INCLUDE % "input_option",
)
def _includes_input_option(context):
    return _input_option(context) + "\n"


class BoundField(forms.BoundField):
    """Django's, with a lazy label and help text translated once, when the field is first
    asked for on its form (as a page renders it): the field's template, its label and its
    widget's description each asked for them again, at some thirty calls a label."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        if isinstance(self.label, Promise):
            self.label = str(self.label)
        if isinstance(self.help_text, Promise):
            self.help_text = str(self.help_text)


class FormRenderer(TemplatesSetting):
    """TemplatesSetting, with Django's own form templates above written in Python."""

    bound_field_class = BoundField

    def render(self, template_name, context, request=None):
        function = self._functions.get(template_name)
        if function is not None:
            try:
                return function(context).strip()
            except (NotWritten, KeyError):
                # An option's template of its own, or a context without what Django's widgets
                # give (where the template would show nothing): the template decides.
                pass
        return super().render(template_name, context, request)

    @cached_property
    def _functions(self) -> dict:
        """The functions by template name, if every template they stand for is still the text
        they were written for; none otherwise."""
        for name, (text, _function) in WRITTEN.items():
            try:
                source = self.get_template(name).template.source
            except (TemplateDoesNotExist, AttributeError):  # not found, or not Django's engine
                return {}
            if source != text:
                return {}
        return {name: function for name, (_source, function) in WRITTEN.items()}
