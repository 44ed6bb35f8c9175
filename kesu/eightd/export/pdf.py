"""The 8D form as PDF (reportlab): A4 portrait, header block, D1–D8 as tables, every page with
the complaint number, page X of Y and the SHA-256 of the printed content.

Text is set in one embedded Chinese TrueType font (subset), so it prints the same everywhere
and can be searched and copied (the font carries a ToUnicode map). Every string from the
document is escaped before reportlab's paragraph markup sees it.
"""

import re
from functools import partial
from io import BytesIO
from xml.sax.saxutils import escape

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


def _table(data, widths, *, header: bool, styles) -> Table:
    total = sum(widths)
    table = Table(
        [[_para(cell, styles, "cell") for cell in row] for row in data],
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
        out.append(_para(block.text, styles, "base"))
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


def render_pdf(form: layout.Form) -> bytes:
    font = pdf_font()
    styles = _styles(font)
    buffer = BytesIO()
    document = SimpleDocTemplate(
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
    )
    document.build(
        _story(form, styles), canvasmaker=partial(_NumberedCanvas, form=form, font=font)
    )
    return buffer.getvalue()
