from django import template

from kesu.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def is_following(context, complaint) -> bool:
    """Whether the signed-in user follows the complaint (one query)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    return selectors.is_following(user, complaint)
