"""Apps plug in; the core does not reach up (STYLE habit 13, docs/architecture.md).

Read from the code's own import statements: each app may import only the apps drawn below it.
An app that needs to take part in something below it registers with it instead (event types,
lifecycle participants, gates, signals)."""

import ast
from pathlib import Path

import kesu

ROOT = Path(kesu.__file__).parent
# The project package itself (settings, urls, wsgi and gunicorn, the command line) is above
# every app.
PROJECT = {"settings", "urls", "wsgi", "gunicorn_conf", "cli", "__init__"}

# Who may import whom: the same picture as docs/architecture.md.
MAY_IMPORT = {
    "core": set(),
    "masterdata": {"core"},
    "org": {"core", "masterdata"},
    "calendars": {"core"},
    "signoff": {"core", "org"},
    "complaints": {"core", "org", "masterdata"},
    "notifications": {"core", "org", "masterdata", "complaints"},
    "timelimits": {"core", "org", "masterdata", "calendars", "complaints", "notifications"},
    "eightd": {
        "core", "org", "masterdata", "signoff", "complaints", "notifications", "timelimits",
    },
    # Effect verification: reads D6's implementation day, signs like the 8D, reports the
    # recurrence through the complaint service.
    "verification": {
        "core", "org", "masterdata", "signoff", "complaints", "notifications", "eightd",
    },
    # The customer's signed links: the 8D's export mails one with the PDF.
    "portal.links": {"core", "org", "masterdata", "complaints", "notifications"},
    "eightd.export": {
        "core", "org", "masterdata", "signoff", "complaints", "notifications", "timelimits",
        "eightd", "portal.links",
    },
    "portal": {
        "core", "org", "masterdata", "signoff", "complaints", "notifications", "eightd",
        "eightd.export", "portal.links",
    },
    # The recurrence radar: complaints' search, the 8D's root causes and lessons (issue 13).
    "radar": {
        "core", "org", "masterdata", "signoff", "complaints", "notifications", "timelimits",
        "eightd",
    },
    # Backup and restore: asks whether the instance holds complaints or users.
    "ops": {"core", "org", "complaints"},
}
# The edges at the top may use everything below them.
TOP = {"api", "web", "demo"}


def unit(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "kesu" or len(parts) < 2:
        return None
    if parts[1:3] in (["eightd", "export"], ["portal", "links"]):
        return ".".join(parts[1:3])
    return parts[1]


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_every_app_imports_only_the_apps_below_it():
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = unit(".".join(path.relative_to(ROOT.parent).with_suffix("").parts))
        if source in TOP or source in PROJECT:
            continue
        assert source in MAY_IMPORT, f"{path}: an app missing from MAY_IMPORT and the docs"
        for module in imports_of(path):
            target = unit(module)
            if target is None or target == source:
                continue
            # `kesu serve` (a core command) serves the project's WSGI application.
            serves_project = target in PROJECT and "management" in path.parts
            if target not in MAY_IMPORT[source] and not serves_project:
                wrong.append(f"{path.relative_to(ROOT.parent)} imports {module}")
    assert wrong == []


def test_the_core_imports_no_domain_app():
    domain = set(MAY_IMPORT) - {"core"}
    for path in (ROOT / "core").rglob("*.py"):
        targets = {unit(module) for module in imports_of(path)}
        assert not targets & domain, path
