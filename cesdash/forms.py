"""The form renderer: Django's own, with its `<select>` written in Python.

Django renders every `<option>` through two included templates. The tables' filters offer every
city, region and source (hundreds of options at the full scale), which made the filter form a
fifth of a table page's time. The markup is exactly that of Django's templates
(tests/test_tables.py compares the two); every other widget is rendered by its template.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from cesdash.escaping import escaped

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def attrs_html(attrs):
    """django/forms/widgets/attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {escaped(name)}")
        if value is not True:
            parts.append(f'="{escaped(str(value))}"')
    return "".join(parts)


def select_html(widget):
    name = escaped(widget["name"])
    lines = [f'<select name="{name}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            lines.append(f'\n  <optgroup label="{escaped(group_name)}">')
        for option in options:
            lines.append(
                f'\n  <option value="{escaped(str(option["value"]))}"'
                f"{attrs_html(option['attrs'])}>{escaped(option['label'])}</option>\n"
            )
        if group_name:
            lines.append("\n  </optgroup>")
    lines.append("\n</select>")
    return "".join(lines)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT and all(
            option["template_name"] == OPTION
            for _n, options, _i in widget["optgroups"]
            for option in options
        ):
            return mark_safe(select_html(widget))
        return super().render(template_name, context, request)
