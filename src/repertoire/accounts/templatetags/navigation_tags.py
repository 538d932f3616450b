from django import template

from repertoire.accounts.navigation import links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def main_links(context):
    """The signed-in pages the user may open (``accounts/navigation.py``)."""
    return links_for(context["user"]) if "user" in context else []
