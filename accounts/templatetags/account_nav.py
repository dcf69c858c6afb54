from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def current_if(context, *prefixes: str) -> str:
    """`aria-current="page"` when the request path starts with one of the given URL prefixes."""
    request = context.get("request")
    path = request.path if request is not None else ""
    if any(prefix and path.startswith(prefix) for prefix in prefixes):
        return mark_safe('aria-current="page"')
    return ""
