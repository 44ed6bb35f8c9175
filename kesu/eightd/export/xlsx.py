"""The 8D form as a workbook (openpyxl): one sheet laid out like the printed form.

One sheet rather than one per discipline: the customary 8D workbook is a single form that is
read and printed top to bottom, with the complaint's header block above D1–D8, exactly as the
PDF. Tables of different widths share one grid of columns; a table column spans as many grid
columns as its relative width asks for (merged cells), and each row is made tall enough for
its longest text, which Excel does not do by itself for merged cells.

Every value is written as text: a customer's "=HYPERLINK(…)" stays words, never a formula.
"""

from io import BytesIO
from math import ceil

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kesu.eightd.export import layout

GRID = 10
GRID_WIDTH = 13  # characters per grid column
LINE_HEIGHT = 15  # points per line of 10-point text
MAX_ROW_HEIGHT = 409  # Excel's limit
THIN = Side(style="thin", color="9AA5B1")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SHADE = PatternFill("solid", fgColor="E8EDF2")
BAND = PatternFill("solid", fgColor="D5DDE6")
WRAP = Alignment(wrap_text=True, vertical="top")


def spans(widths: list[float], total: int = GRID) -> list[int]:
    """Grid columns per table column, in proportion to `widths`, at least one each."""
    count = len(widths)
    if count >= total:
        return [1] * count
    scale = sum(widths) or 1
    raw = [w / scale * total for w in widths]
    out = [max(1, int(r)) for r in raw]
    # Hand out what rounding down left over, largest remainder first.
    order = sorted(range(count), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: max(0, total - sum(out))]:
        out[i] += 1
    while sum(out) > total:
        widest = max(range(count), key=lambda i: out[i])
        out[widest] -= 1
    return out


def _lines(text: str, width_chars: int) -> int:
    """Lines `text` takes in a cell `width_chars` wide (a Chinese character is two wide)."""
    lines = 0
    for line in text.split("\n"):
        width = sum(2 if ord(c) > 0x2E80 else 1 for c in line)
        lines += max(1, ceil(width / max(width_chars, 1)))
    return lines


class _Sheet:
    def __init__(self, sheet):
        self.sheet = sheet
        self.row = 1

    def put(self, column: int, span: int, text: str, *, fill=None, bold=False, size=None):
        cell = self.sheet.cell(row=self.row, column=column)
        cell.value = text
        # openpyxl turns a string starting with "=" into a formula; this is text.
        cell.data_type = "s"
        cell.alignment = WRAP
        if fill is not None:
            cell.fill = fill
        if bold or size:
            cell.font = Font(bold=bold, size=size or 10)
        for offset in range(span):
            self.sheet.cell(row=self.row, column=column + offset).border = BOX
        if span > 1:
            self.sheet.merge_cells(
                start_row=self.row, start_column=column, end_row=self.row,
                end_column=column + span - 1,
            )

    def line(self, cells: list[tuple[int, str]], *, fill=None, bold=False) -> None:
        """One row: (span, text) per cell, left to right."""
        column, lines = 1, 1
        for span, text in cells:
            self.put(column, span, text, fill=fill, bold=bold)
            lines = max(lines, _lines(text, span * GRID_WIDTH - 1))
            column += span
        self.sheet.row_dimensions[self.row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)
        self.row += 1

    def heading(self, text: str, *, fill=None, size=11) -> None:
        self.put(1, GRID, text, fill=fill, bold=True, size=size)
        self.sheet.row_dimensions[self.row].height = LINE_HEIGHT * 1.4
        self.row += 1

    def skip(self) -> None:
        self.row += 1


def _pairs(out: _Sheet, block: layout.Pairs) -> None:
    for label, value in block.items:
        out.put(1, 3, label, fill=SHADE)
        out.put(4, GRID - 3, value)
        lines = max(_lines(label, 3 * GRID_WIDTH), _lines(value, (GRID - 3) * GRID_WIDTH))
        out.sheet.row_dimensions[out.row].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)
        out.row += 1


def _table(out: _Sheet, table: layout.Table, words) -> None:
    if not table.rows:
        out.line([(GRID, words["no_rows"])])
        return
    widths = spans(table.widths)
    out.line(list(zip(widths, table.columns, strict=True)), fill=SHADE, bold=True)
    for row in table.rows:
        out.line(list(zip(widths, row, strict=True)))


def _block(out: _Sheet, block, words) -> None:
    if block.title:
        out.heading(block.title, size=10)
    if isinstance(block, layout.Pairs):
        _pairs(out, block)
    elif isinstance(block, layout.Table):
        _table(out, block, words)
    elif isinstance(block, layout.Text):
        out.line([(GRID, block.text)])


def render_xlsx(form: layout.Form) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "8D"
    for column in range(1, GRID + 1):
        sheet.column_dimensions[get_column_letter(column)].width = GRID_WIDTH
    words = form.page_words
    out = _Sheet(sheet)
    out.heading(f"{form.title}  {form.number}", size=14)
    _pairs(out, form.header)
    _pairs(out, layout.Pairs("", [(words["hash"], form.content_hash),
                                 (words["printed"], form.printed_at)]))
    for section in form.sections:
        out.skip()
        out.heading(section.title, fill=BAND)
        out.line([(GRID // 2, f"{words['owner']}: {section.owner}"),
                  (GRID - GRID // 2, f"{words['due']}: {section.due}")])
        for block in section.blocks:
            _block(out, block, words)
        out.heading(section.signatures.title, size=10)
        if section.signatures.rows:
            _table(out, section.signatures, words)
        else:
            out.line([(GRID, words["not_signed"])])

    sheet.print_options.gridLines = False
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.left.text = f"{form.title} {form.number}"
    sheet.oddFooter.left.text = f"{words['hash']}: {form.content_hash}"
    # Excel's own page number and page count codes.
    sheet.oddFooter.right.text = "&P / &N"
    workbook.properties.title = f"{form.title} {form.number}"
    workbook.properties.creator = "Kesu"
    workbook.properties.subject = form.content_hash
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
