"""How a stored value reads to a person: payloads keep names, ISO times and booleans as JSON;
timelines, mail and exports show them the same way."""

from datetime import timedelta

from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def display_value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(display_value(item) for item in value) or "—"
    if isinstance(value, str) and "T" in value:
        # Payloads keep times as ISO 8601; people read them in local time.
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is not None and timezone.is_aware(moment):
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return str(value)


def msgid(label) -> str:
    """The untranslated text of a lazy label: stored, it is translated when read, in the
    reader's language."""
    with translation.override(None):
        return str(label)


def enumeration(items) -> str:
    """Items listed the way the active language lists them: 1、2、3 in Chinese, 1, 2, 3 else."""
    separator = "、" if (translation.get_language() or "").startswith("zh") else ", "
    return separator.join(str(item) for item in items)


def conjunction(items) -> str:
    """Parts of one thing: "A、B和C", "A, B and C"."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": enumeration(items[:-1]), "last": items[-1]}


def series(items) -> str:
    """Separate things each of which may list its own parts: "A、B；C" keeps them apart."""
    separator = "；" if (translation.get_language() or "").startswith("zh") else "; "
    return separator.join(str(item) for item in items)


DAY = 24 * 60


def duration_text(value: timedelta | None, *, day_minutes: int | None = None) -> str:
    """A duration the way people say it, one format everywhere: under a day hours and minutes
    ("3 小时 20 分"), from a day on days and hours ("2 天 3 小时"); zero parts are left out.

    Without `day_minutes` the value is calendar time and a day is 24 hours. With it the value
    is business time and a day is a business day of that many minutes (the calendar's working
    hours), so it reads "2 个工作日 3 小时"; a 24-hour business day is an ordinary day.
    """
    if value is None:
        return "—"
    minutes = int(abs(value) // timedelta(minutes=1))
    day = day_minutes or DAY
    if minutes < day:
        hours, minutes = divmod(minutes, 60)
        if not hours:
            return _("%(minutes)d min") % {"minutes": minutes}
        if not minutes:
            return _("%(hours)d h") % {"hours": hours}
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    # Minutes are noise once a duration runs to days.
    days, rest = divmod(minutes, day)
    hours = rest // 60
    if day == DAY:
        if not hours:
            return _("%(days)d d") % {"days": days}
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if not hours:
        return ngettext("%(days)d business day", "%(days)d business days", days) % {"days": days}
    return ngettext(
        "%(days)d business day %(hours)d h", "%(days)d business days %(hours)d h", days
    ) % {"days": days, "hours": hours}
