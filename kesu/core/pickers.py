"""Searchable pickers: a select that asks the server as the user types (SPEC §3 fast intake).

A master-data list can hold a hundred thousand lots, so a picker's page carries only the chosen
options; `kesu/core/static/kesu/pickers.js` (Tom Select) fetches the rest from the picker's
endpoint. Without JavaScript the select still posts and shows what was chosen, and the form
field validates against its full queryset either way: the picker is a way of finding a value,
never what decides that it is allowed.

An endpoint answers `GET ?q=…` (plus the values of the fields it depends on) with
`{"results": [{"value", "text", "hint", …}]}`, at most `LIMIT` rows, best first; `options()`
builds that answer so every endpoint has one shape.
"""

from collections.abc import Iterable
from functools import wraps

from django import forms
from django.http import JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kesu.core.bounds import is_db_int
from kesu.core.forms import give_widget

LIMIT = 20
MAX_QUERY = 100  # characters: longer is not a search someone types


class _Picker:
    """What the single and multiple pickers share: the endpoint and what it depends on."""

    class Media:
        css = {"all": ("vendor/tom-select/css/tom-select.default.min.css",)}
        js = (
            forms.Script("vendor/tom-select/js/tom-select.complete.min.js", defer=True),
            forms.Script("kesu/pickers.js", defer=True),
        )

    def __init__(
        self, source: str, *, depends=None, params=None, create=False, fill=None, only=False,
        empty=None, attrs=None,
    ):
        """`depends` maps a field of the same form to the endpoint's parameter that it fills
        (the lots picker asks with the chosen customer); `params` are fixed ones. `create`
        takes typed text as the value (a contact not on file); `fill` maps other fields to
        keys of the chosen option that are copied into them; `only` chooses the one match
        by itself when a dependency changes (a customer with one contact); `empty` says why
        nothing was found when the picker narrows its search."""
        super().__init__(attrs)
        self.source = source
        self.depends = dict(depends or {})
        self.params = dict(params or {})
        self.create = create
        self.fill = dict(fill or {})
        self.only = only
        self.empty = empty or _("Nothing found")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        attrs = context["widget"]["attrs"]
        url = reverse(self.source)
        attrs["data-picker"] = f"{url}?{urlencode(self.params)}" if self.params else url
        if self.depends:
            attrs["data-picker-depends"] = " ".join(f"{k}:{v}" for k, v in self.depends.items())
        if self.fill:
            attrs["data-picker-fill"] = " ".join(f"{k}:{v}" for k, v in self.fill.items())
        if self.only:
            attrs["data-picker-only"] = "1"
        if self.create:
            attrs["data-picker-create"] = _("Use “%(text)s”") % {"text": "{text}"}
        attrs["data-picker-empty"] = self.empty
        attrs["data-picker-loading"] = _("Searching…")
        attrs["data-picker-clear"] = _("Clear")
        attrs["placeholder"] = _("Type to search")
        return context

    def optgroups(self, name, value, attrs=None):
        # Only what is chosen: the rest comes from the endpoint while the user types.
        chosen = {str(v) for v in value if v not in ("", None)}
        choices = getattr(self.choices, "queryset", None)
        if choices is not None and chosen:
            field = self.choices.field
            pairs = [(str(obj.pk), field.label_from_instance(obj))
                     for obj in choices.filter(pk__in=_db_ids(chosen))]
        else:
            # Free text (a contact's name) is its own label.
            pairs = [(v, v) for v in chosen]
        options = [
            self.create_option(name, key, label, True, index)
            for index, (key, label) in enumerate(pairs)
        ]
        if not self.allow_multiple_selected:
            options.insert(0, self.create_option(name, "", "", not chosen, -1))
        return [(None, options, 0)]


class PickOne(_Picker, forms.Select):
    pass


class PickMany(_Picker, forms.SelectMultiple):
    pass


def use(form: forms.Form, **widgets: _Picker) -> None:
    """Give the form's fields these pickers, keeping what the fields put on their widgets."""
    for name, widget in widgets.items():
        if name in form.fields:
            give_widget(form.fields[name], widget)


def search_text(request) -> str:
    return request.GET.get("q", "").strip()[:MAX_QUERY]


def options(rows: Iterable[dict]) -> JsonResponse:
    """The endpoint's answer. Rows are dicts with at least `value` and `text`."""
    return JsonResponse({"results": list(rows)})


def picker_endpoint(view):
    """A picker's endpoint: GET only, for signed-in staff. Customers never browse the company's
    master data or people (the portal fills their own customer in)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"detail": str(_("Sign in first."))}, status=401)
        if request.user.is_customer:
            return JsonResponse({"detail": str(_("Not allowed."))}, status=403)
        return view(request, *args, **kwargs)

    return require_GET(wrapped)


def ids(request, name: str) -> list[int]:
    """The ids a dependent picker was given (`?products=3&products=5`); junk is ignored, as a
    filter that narrows a search should never turn it into an error."""
    return _db_ids(request.GET.getlist(name))[:50]


def _db_ids(values) -> list[int]:
    """The values that are ids the database can hold; anything else is left out."""
    return [int(v) for v in values if v.isdigit() and is_db_int(v)]
