"""The Chinese font the PDF embeds.

reportlab embeds (a subset of) TrueType fonts only: fonts with glyf outlines, such as WenQuanYi
or AR PL. The CFF-based Noto Sans CJK / Source Han Sans OpenType fonts cannot be embedded by it,
so `fonts-noto-cjk` alone is not enough. KESU_PDF_FONT names a font file; without it the usual
places of Debian's packages (and of Windows) are tried in order.
"""

import threading
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

# In order of preference: each has Latin letters and digits too, so one font prints everything.
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian fonts-wqy-microhei
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Debian fonts-wqy-zenhei
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # Debian fonts-arphic-uming
    "/usr/share/fonts/truetype/arphic/ukai.ttc",  # Debian fonts-arphic-ukai
    "C:/Windows/Fonts/msyh.ttc",  # Microsoft YaHei
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
)
# Characters the font must have: a font without them would print empty boxes.
REQUIRED = "8D报告客诉Aa0"

_registered: dict[str, str] = {}
_lock = threading.Lock()


class FontMissing(Exception):
    """No usable Chinese font: the message says what to install or configure."""


def _configured() -> str:
    return settings.KESU_PDF_FONT


def font_path() -> Path:
    configured = _configured()
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FontMissing(
                _("KESU_PDF_FONT names %(path)s, which is not a file.") % {"path": configured}
            )
        return path
    for candidate in CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path
    raise FontMissing(
        _(
            "No Chinese font for the PDF was found. Install the Debian package "
            "fonts-wqy-microhei (or fonts-wqy-zenhei), or set KESU_PDF_FONT to a TrueType "
            "font file (.ttf or .ttc)."
        )
    )


def _load(path: Path) -> TTFont:
    try:
        font = TTFont(f"KesuCJK{len(_registered)}", str(path), subfontIndex=0)
    except (TTFError, OSError) as exc:
        raise FontMissing(
            _(
                "The font %(path)s cannot be embedded in a PDF (%(error)s). It must be a "
                "TrueType font: OpenType/CFF fonts such as Noto Sans CJK are not supported."
            )
            % {"path": path, "error": exc}
        ) from exc
    missing = [c for c in REQUIRED if ord(c) not in font.face.charToGlyph]
    if missing:
        raise FontMissing(
            _("The font %(path)s has no Chinese characters.") % {"path": path}
        )
    return font


def pdf_font() -> str:
    """The registered name of the Chinese font, loading it once per process (a CJK font takes
    a fraction of a second to parse)."""
    path = font_path()
    key = str(path)
    with _lock:
        if key not in _registered:
            font = _load(path)
            pdfmetrics.registerFont(font)
            _registered[key] = font.fontName
        return _registered[key]
