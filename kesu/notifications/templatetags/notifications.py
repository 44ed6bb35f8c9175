from django import template

from kesu.notifications import rendering, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def is_following(context, complaint) -> bool:
    """Whether the signed-in user follows the complaint (one query)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return False
    return selectors.is_following(user, complaint)


@register.filter
def late_by(value) -> str:
    """A lateness as people say it: "2 天 3 小时", never "51 小时"."""
    return rendering.late_by(value) if value is not None else ""
