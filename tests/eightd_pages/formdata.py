"""What a browser posts from the 8D page: a discipline's document in form encoding, written
here independently of kesu.eightd.forms so the two can disagree, and the fields of a form as
rendered on the page (for posting a page back unchanged)."""

from html.parser import HTMLParser

ROWS = {
    "d1": ("members",),
    "d2": ("is_is_not",),
    "d3": ("actions",),
    "d5": ("actions",),
    "d6": ("implementations",),
    "d7": ("rollout",),
}
ROW_KEYS = {"is": "is_"}  # `is` is a Python word


def _value(value):
    if value is None:
        return ""
    if value is True:
        return "on"
    return str(value)


def encode(code: str, document: dict, *, version: int, owner="", note="") -> dict:
    data = {f"{code}-version": version, f"{code}-owner": owner, f"{code}-internal_note": note}

    def put(name, value):
        if value is False:
            return  # an unticked box is not posted
        data[f"{code}-{name}"] = _value(value)

    for key, value in document.items():
        if key in ROWS.get(code, ()):
            prefix = f"{key}"
            data[f"{code}-{prefix}-TOTAL_FORMS"] = len(value)
            data[f"{code}-{prefix}-INITIAL_FORMS"] = 0
            for n, row in enumerate(value):
                for field, item in row.items():
                    put(f"{prefix}-{n}-{ROW_KEYS.get(field, field)}", item)
        elif code == "d4":
            for field, item in value.items():
                if field == "whys":
                    for n, why in enumerate(item, 1):
                        put(f"{key}_why_{n}", why)
                else:
                    put(f"{key}_{field}", item)
        elif isinstance(value, dict):  # D7's document updates
            for field, item in value.items():
                put(f"{key}_{field}", item)
        else:
            put(key, value)
    return data


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.append((attrs["name"], attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.data.append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = [attrs["name"], None]
        elif tag == "option" and self._select is not None:
            if self._select[1] is None or "selected" in attrs:
                self._select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # Browsers drop one leading newline and send line ends as CRLF.
            text = text[1:] if text.startswith("\n") else text
            self.data.append((name, text.replace("\n", "\r\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self.data.append((self._select[0], self._select[1] or ""))
            self._select = None
        elif tag == "form":
            self.inside = False


def form_fields(html: str, form_id: str) -> dict[str, str]:
    """The fields a browser would post from the form `form_id`, as rendered (unescaped)."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return dict(reader.data)
