"""The 8D form as PDF (reportlab): A4 portrait, header block, D1–D8 as tables, every page with
the complaint number, page X of Y and the SHA-256 of the printed content.

Text is set in one embedded Chinese TrueType font (subset), so it prints the same everywhere
and can be searched and copied (the font carries a ToUnicode map). Every string from the
document is escaped before reportlab's paragraph markup sees it.

A PDF is made in the heavy worker within a size and a time budget (issue 10: one 457-page 8D
held a worker for ten minutes): a form with more text than `MAX_CHARACTERS` is refused before
anything is drawn, and a render that passes `MAX_PAGES` or `KESU_EXPORT_SECONDS` stops.
"""

import re
import time
from functools import partial
from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kesu.eightd.export import layout
from kesu.eightd.export.fonts import pdf_font

MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
GRID = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#e8edf2")
BAND = colors.HexColor("#d5dde6")
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
# An A4 page holds some 2,000 characters of the 8D; 300,000 are about 150 pages, several times
# the longest real 8D, and render in seconds. Past that nobody reads a printout.
MAX_CHARACTERS = 300_000
MAX_PAGES = 250
# Reportlab re-wraps a whole paragraph each time a table row splits across a page, so a
# 4,000-character cell costs its length once per page it spans: text is set as paragraphs of
# at most this many characters, cut after a line or a sentence where there is one.
CHUNK = 400
BREAK = re.compile(r"\n|(?<=[。！？；.!?;])")


class TooLong(Exception):
    """The 8D cannot be printed within the budget; the message says what to do instead."""


def check_size(form: layout.Form) -> None:
    """Refuse, before anything is queued or drawn, a form too long to print."""
    size = form.characters()
    if size > MAX_CHARACTERS:
        raise TooLong(
            _(
                "This 8D holds %(size)s characters of text, more than a PDF can take "
                "(%(most)s, about %(pages)d pages). Shorten the longest texts, or export it as "
                "Excel."
            )
            % {
                "size": f"{size:,}",
                "most": f"{MAX_CHARACTERS:,}",
                "pages": MAX_CHARACTERS // 2000,
            }
        )


def _styles(font: str) -> dict[str, ParagraphStyle]:
    # wordWrap CJK: Chinese has no spaces, so lines may break between any two characters.
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    styles = {
        "base": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10.5),
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=20, spaceAfter=4),
        "section": ParagraphStyle("section", parent=base, fontSize=11, leading=14),
        "block": ParagraphStyle(
            "block", parent=base, fontSize=9.5, leading=13, spaceBefore=4, spaceAfter=2,
            keepWithNext=1,
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5,
                                textColor=colors.HexColor("#52606d")),
    }
    # Latin text breaks between words; CJK wrapping would cut "implementation" anywhere.
    latin = {
        f"{name}/latin": ParagraphStyle(f"{name}/latin", parent=style, wordWrap=None)
        for name, style in styles.items()
    }
    return styles | latin


def _para(text: str, styles, name: str) -> Paragraph:
    style = styles[name] if CJK.search(text) else styles[f"{name}/latin"]
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _chunks(text: str):
    while len(text) > CHUNK:
        cuts = [match.start() for match in BREAK.finditer(text, 1, CHUNK)]
        cut = cuts[-1] if cuts else CHUNK
        yield text[:cut]
        # A cut at a line break drops it: the next paragraph starts on a new line anyway.
        text = text[cut + 1:] if text[cut] == "\n" else text[cut:]
    yield text


def _paras(text: str, styles, name: str) -> list[Paragraph]:
    return [_para(chunk, styles, name) for chunk in _chunks(text)]


def _table(data, widths, *, header: bool, styles) -> Table:
    total = sum(widths)
    table = Table(
        [[_paras(cell, styles, "cell") for cell in row] for row in data],
        colWidths=[WIDTH * w / total for w in widths],
        repeatRows=1 if header else 0,
        # A cell longer than a page (a 4,000-character action) continues on the next page.
        splitInRow=1,
        hAlign="LEFT",
    )
    commands = [
        # Tables name a font even for cells of paragraphs; Helvetica would be unembedded.
        ("FONTNAME", (0, 0), (-1, -1), styles["base"].fontName),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE) if header
                    else ("BACKGROUND", (0, 0), (0, -1), SHADE))
    table.setStyle(TableStyle(commands))
    return table


def _block(block, words, styles) -> list:
    out = [_para(block.title, styles, "block")] if block.title else []
    if isinstance(block, layout.Pairs):
        out.append(_table([list(item) for item in block.items], [1, 3.2], header=False,
                          styles=styles))
    elif isinstance(block, layout.Table):
        if block.rows:
            out.append(_table([block.columns, *block.rows], block.widths, header=True,
                              styles=styles))
        else:
            out.append(_para(words["no_rows"], styles, "base"))
    elif isinstance(block, layout.Text):
        out += _paras(block.text, styles, "base")
    return out


def _section_band(section, words, styles) -> Table:
    owner = f"{words['owner']}: {section.owner}    {words['due']}: {section.due}"
    band = Table(
        [[_para(section.title, styles, "section"), _para(owner, styles, "cell")]],
        colWidths=[WIDTH * 0.62, WIDTH * 0.38],
        hAlign="LEFT",
    )
    band.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles["base"].fontName),
        ("BACKGROUND", (0, 0), (-1, -1), BAND),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    band.keepWithNext = 1
    return band


def _story(form: layout.Form, styles) -> list:
    words = form.page_words
    story = [
        _para(f"{form.title}  {form.number}", styles, "title"),
        _table([list(item) for item in form.header.items], [1, 3.2], header=False,
               styles=styles),
        _para(f"{words['hash']}: {form.content_hash}", styles, "small"),
    ]
    for section in form.sections:
        story += [Spacer(1, 6 * mm), _section_band(section, words, styles)]
        for block in section.blocks:
            story += _block(block, words, styles)
        story.append(_para(section.signatures.title, styles, "block"))
        if section.signatures.rows:
            story.append(_table([section.signatures.columns, *section.signatures.rows],
                                section.signatures.widths, header=True, styles=styles))
        else:
            story.append(_para(words["not_signed"], styles, "base"))
    return story


class _NumberedCanvas(canvas.Canvas):
    """Holds the pages back until the end, so each can say "page X of Y"."""

    def __init__(self, *args, form: layout.Form, font: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._form = form
        self._font = font
        self._pages = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._frame(total)
            super().showPage()
        super().save()

    def _frame(self, total: int) -> None:
        form, words = self._form, self._form.page_words
        width, height = A4
        self.setFont(self._font, 7.5)
        self.setFillColor(colors.HexColor("#52606d"))
        self.drawString(MARGIN, height - 10 * mm, f"{form.title} · {form.number}")
        self.drawRightString(width - MARGIN, height - 10 * mm,
                             f"{words['printed']}: {form.printed_at}")
        self.drawString(MARGIN, 9 * mm, f"{words['hash']}: {form.content_hash}")
        self.drawRightString(width - MARGIN, 9 * mm,
                             words["page"] % {"page": self._pageNumber, "pages": total})


class _Document(SimpleDocTemplate):
    """Stops the render once it passes the page count or the time it may take."""

    def __init__(self, *args, seconds: float, **kwargs):
        super().__init__(*args, **kwargs)
        self._seconds = seconds
        self._deadline = time.monotonic() + seconds

    def afterPage(self):  # noqa: N802 - reportlab's name
        if self.page > MAX_PAGES:
            raise TooLong(
                _("The PDF would have more than %(pages)d pages. Shorten the longest texts, or "
                  "export it as Excel.") % {"pages": MAX_PAGES}
            )
        if time.monotonic() > self._deadline:
            raise TooLong(
                _("Making the PDF took longer than %(seconds)d seconds. Shorten the longest "
                  "texts, or export it as Excel.") % {"seconds": self._seconds}
            )


def render_pdf(form: layout.Form) -> bytes:
    check_size(form)
    font = pdf_font()
    styles = _styles(font)
    buffer = BytesIO()
    document = _Document(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{form.title} {form.number}",
        author="Kesu",
        subject=form.content_hash,
        creator="Kesu",
        # The Chinese font from the first text operator on: no unembedded Helvetica anywhere.
        initialFontName=font,
        lang=form.language,
        seconds=settings.KESU_EXPORT_SECONDS,
    )
    document.build(
        _story(form, styles), canvasmaker=partial(_NumberedCanvas, form=form, font=font)
    )
    return buffer.getvalue()
