"""Chinese full-text search on SQLite and PostgreSQL, without a database extension (STYLE habit
16): the one module that knows how Chinese is tokenised and how each database searches.

Why pre-tokenised text: Chinese has no spaces. SQLite FTS5's default tokenizer (unicode61) makes a
whole run of Chinese one token, so "划伤" never matches "外壳表面划伤"; its trigram tokenizer
silently drops query terms under three characters (划伤, 退货); PostgreSQL's parsers split on
spaces and punctuation only, and pg_trgm is poor for Chinese. So the text is cut here, in Python,
and the database only stores and matches space-separated terms:

- a document's terms (`terms`) are jieba's search-mode words, every Chinese character and every
  pair of neighbouring characters (so one- and two-character words match wherever jieba drew its
  boundaries), and lower-cased runs of letters and digits;
- a query (`query_terms`) is cut the same way; a Chinese word longer than two characters becomes
  its character pairs (all must match: "异响声" finds "异响声音" however either was segmented).

On SQLite the terms are indexed by an FTS5 table (unicode61, which only splits them on the spaces
between them) kept in step with the document table by triggers; on PostgreSQL by a GIN index over
`array_to_tsvector(string_to_array(terms, ' '))`, which takes each term verbatim (no parser, no
dictionary). Queries put terms in quotes (FTS5) or in tsquery literals built from terms that
hold letters and digits only: user input never reaches either query language as syntax.
"""

import os
import re
import tempfile
import threading
from functools import cache
from pathlib import Path

from django.db.models.expressions import RawSQL

# A term holds letters and digits only (no underscore: FTS5's unicode61 splits on it).
_WORD = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Words that say nothing about a defect (the radar's significant words leave them out).
STOPWORDS = frozenset(
    "的 了 和 与 及 或 在 是 有 中 时 对 把 被 并 也 都 就 要 将 已 等 个 为 后 前 上 下 "
    "我们 我司 贵司 客户 发现 问题 要求 进行 提交 报告 出现 一个 一批 情况 产品 没有 已经 "
    "请 尽快 处理 相关 部分 其中 目前 存在 明显 现象 反馈 不良 数量 影响 过程 分析 原因 "
    "8d 小时 给出 措施 同时 伴有 据 通报 质量部 质量 "
    # What the customer asks for is in every complaint; it is not what went wrong.
    "退货 换货 补发 合格 合格品 索赔 全检 在库品 围堵 改善 退回 退换 "
    # Where it was seen says little about what the problem is.
    "来料 检验 来料检验 产线 装配 终端 仓库 抽检 出货 售后 返修 出货检验".split()
)
# Rewordings of common defects, indexed and searched as the usual word too, so that a description
# saying "划痕" or "异常响声" finds (and is found by) one saying "划伤" or "异响". jieba also learns
# each as a word, so a run such as "表面划痕" is cut where a quality engineer would cut it.
SYNONYMS = {
    "划伤": "划痕 刮伤 刮花 擦伤 刮痕",
    "异响": "噪音 杂音 响声 异音 异常响声 噪声",
    "锈蚀": "生锈 锈迹 锈斑 腐蚀",
    "裂纹": "开裂 裂缝 裂痕 破裂",
    "退货": "退回 退换",
    "毛刺": "毛边 飞边",
    "漏装": "少装 缺件 漏件",
    "错装": "装错 装反",
    "色差": "变色 颜色不一致 颜色偏差",
    "气泡": "起泡 鼓包",
    "涂层脱落": "掉漆 脱漆 漆面脱落 涂层剥落",
    "功能失效": "失灵 不工作 无法工作 功能异常",
    "尺寸超差": "尺寸不良 超差 尺寸偏大 尺寸偏小",
    "脏污": "污渍 油污 脏点",
    "变形": "翘曲 弯曲 扭曲",
    "异物": "杂物 夹杂",
    "焊接不良": "虚焊 漏焊 焊接缺陷",
    "包装破损": "包装损坏 外箱破损 纸箱破损",
    "标签错误": "标签贴错 标签不符",
    "数量短少": "数量不足 少发",
}
CANONICAL = {alias: word for word, aliases in SYNONYMS.items() for alias in aliases.split()}
# Bounds: a query is cut to this many terms; a document to this many characters.
MAX_QUERY_TERMS = 32
MAX_DOCUMENT_CHARS = 20_000

# jieba's dictionary, trimmed: every word of one or two characters, and longer words seen at
# least this often in its corpus. The whole dictionary holds 349,000 words and costs each web
# process 62 MB; the trimmed one 167,000 words and 25 MB, and cuts complaint text the same but
# for rare compounds, which the index's character pairs still match.
MIN_FREQUENCY = 10

_lock = threading.Lock()


def _trimmed_dictionary(source: Path, version: str) -> Path:
    """The trimmed dictionary, written once per jieba version beside jieba's own cache (the
    temporary directory) and renamed into place, so concurrent processes never read half."""
    target = Path(tempfile.gettempdir()) / f"kesu-jieba-{version}-{MIN_FREQUENCY}.txt"
    if target.exists():
        return target
    partial = target.with_suffix(f".{os.getpid()}.part")
    with source.open(encoding="utf-8") as words, partial.open("w", encoding="utf-8") as out:
        for line in words:
            word, frequency = line.split()[:2]
            if len(word) <= 2 or int(frequency) >= MIN_FREQUENCY:
                out.write(line)
    partial.replace(target)
    return target


@cache
def _jieba():
    import jieba  # imported on first use: loading its dictionary takes a fraction of a second

    with _lock:
        jieba.setLogLevel(60)
        source = Path(jieba.__file__).with_name("dict.txt")
        tokenizer = jieba.Tokenizer(dictionary=str(_trimmed_dictionary(source, jieba.__version__)))
        tokenizer.initialize()
        for word in (*SYNONYMS, *CANONICAL):
            tokenizer.add_word(word, freq=20_000)
    return tokenizer


def _is_cjk(text: str) -> bool:
    return bool(_CJK.match(text))


def _runs(text: str) -> list[str]:
    """Runs of letters and digits, lower-cased (punctuation and spaces dropped)."""
    return [run.lower() for run in _WORD.findall(text)]


def _cjk_runs(run: str) -> list[str]:
    return re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", run)


def words(text: str) -> list[str]:
    """jieba's words of the text (search mode), letters and digits only, lower-cased, in order,
    without repeats."""
    text = (text or "")[:MAX_DOCUMENT_CHARS]
    if text.isascii():  # numbers and codes: nothing for jieba to cut
        return list(dict.fromkeys(_runs(text)))
    seen: dict[str, None] = {}
    for word in _jieba().cut_for_search(text):
        for run in _runs(word):
            seen.setdefault(run, None)
            if run in CANONICAL:
                seen.setdefault(CANONICAL[run], None)
    return list(seen)


def terms(text: str) -> list[str]:
    """The index terms of a text: its words, plus every Chinese character and pair of
    neighbouring characters."""
    found: dict[str, None] = dict.fromkeys(words(text))
    if (text or "").isascii():
        return list(found)
    for run in _runs((text or "")[:MAX_DOCUMENT_CHARS]):
        for cjk in _cjk_runs(run):
            for i, char in enumerate(cjk):
                found.setdefault(char, None)
                if i + 1 < len(cjk):
                    found.setdefault(cjk[i : i + 2], None)
    return list(found)


def document(*texts: str) -> str:
    """The stored form of a document: its terms joined by spaces."""
    found: dict[str, None] = {}
    for text in texts:
        if text:
            found.update(dict.fromkeys(terms(text)))
    return " ".join(found)


def _query_term(word: str) -> list[str]:
    """How one query word is matched: itself, or a long Chinese word by its character pairs."""
    if _is_cjk(word[0]) and len(word) > 2 and all(_is_cjk(c) for c in word):
        return [word[i : i + 2] for i in range(len(word) - 1)]
    return [word]


def query_terms(text: str) -> list[str]:
    """The terms that must all be in a document for it to match `text` (multiple words = AND).
    Letters and digits are matched as prefixes (a part of a complaint or lot number)."""
    found: dict[str, None] = {}
    for run in _runs(text or ""):
        if _is_cjk(run[0]) or any(_is_cjk(c) for c in run):
            for word in _jieba().cut(run):
                for part in _runs(word):
                    for term in _query_term(part):
                        found.setdefault(term, None)
        else:
            found.setdefault(run, None)
    return list(found)[:MAX_QUERY_TERMS]


def significant(text: str, limit: int = 20) -> list[str]:
    """The words of a draft that say something (the radar's OR query): jieba's words of two or
    more characters, or letters and digits, without stop words, in order of appearance."""
    out = []
    for word in words(text):
        if word in STOPWORDS or len(word) < 2 or word.isdigit():
            continue
        out.append(word)
        if len(out) == limit:
            break
    return out


# --- The database side ------------------------------------------------------------------------


def _fts(table: str) -> str:
    return f"{table}_fts"


def create_index(connection, table: str, key: str, column: str = "terms") -> None:
    """Make the full-text index of `table` (a document table with primary key `key` and the
    space-joined `column`). Called from a migration."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f'CREATE INDEX IF NOT EXISTS "{table}_gin" ON "{table}" USING gin '
                f"(array_to_tsvector(string_to_array(\"{column}\", ' ')))"
            )
        return
    fts = _fts(table)
    # External content: FTS5 reads the terms from the document table; triggers keep its index
    # in step with every insert, update and delete (also Django's flush between tests).
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5("{column}", '
            f"content='{table}', content_rowid='{key}', "
            f"tokenize='unicode61 remove_diacritics 0')"
        )
        cursor.execute(
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_ai" AFTER INSERT ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"(rowid, "{column}") VALUES (new."{key}", new."{column}"); END'
        )
        cursor.execute(
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_ad" AFTER DELETE ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, "{column}") '
            f'VALUES (\'delete\', old."{key}", old."{column}"); END'
        )
        cursor.execute(
            f'CREATE TRIGGER IF NOT EXISTS "{fts}_au" AFTER UPDATE ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, "{column}") '
            f'VALUES (\'delete\', old."{key}", old."{column}"); '
            f'INSERT INTO "{fts}"(rowid, "{column}") VALUES (new."{key}", new."{column}"); END'
        )


def drop_index(connection, table: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'DROP INDEX IF EXISTS "{table}_gin"')
        else:
            fts = _fts(table)
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{suffix}"')
            cursor.execute(f'DROP TABLE IF EXISTS "{fts}"')


def rebuild_index(connection, table: str) -> None:
    """Rebuild the index from the document table after a bulk load that bypassed it
    (bench/generate.py drops the triggers' work by loading first, indexing once)."""
    if connection.vendor == "sqlite":
        fts = _fts(table)
        with connection.cursor() as cursor:
            cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')


def _fts5_literal(term: str, prefix: bool) -> str:
    # Quoted: inside double quotes FTS5 reads no operator (OR, NEAR, -, :, *), only the string.
    return '"' + term.replace('"', '""') + '"' + ("*" if prefix else "")


def _tsquery_literal(term: str, prefix: bool) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")


def _prefix(term: str) -> bool:
    return not _is_cjk(term[0])


def _expression(connection, query: list[str], joiner: str) -> str:
    if connection.vendor == "postgresql":
        return f" {joiner} ".join(_tsquery_literal(t, _prefix(t)) for t in query)
    word = "AND" if joiner == "&" else "OR"
    return f" {word} ".join(_fts5_literal(t, _prefix(t)) for t in query)


# On SQLite, a query matching more documents than this is filtered while the list is read in its
# own order (a scan of the order's index that stops at the page's end), not by looking up each
# match and sorting them all: "退货" in 30 % of 100,000 complaints took 2 s the other way.
COMMON = 1000


def matching(connection, table: str, key: str, query: list[str], outer: str,
             column: str = "terms"):
    """An SQL condition (RawSQL, boolean) that the row whose key is the SQL expression `outer`
    has a document holding every term of `query` (from `query_terms`), for `filter(…)`. None
    when the query has no term."""
    from django.db.models import BooleanField

    if not query:
        return None
    expression = _expression(connection, query, "&")
    if connection.vendor == "postgresql":
        return RawSQL(
            f'{outer} IN (SELECT "{key}" FROM "{table}" WHERE '
            f"array_to_tsvector(string_to_array(\"{column}\", ' ')) @@ %s::tsquery)",
            [expression], output_field=BooleanField(),
        )
    fts = _fts(table)
    matches = f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s'
    with connection.cursor() as cursor:
        cursor.execute(f"{matches} LIMIT {COMMON}", [expression])
        found = [row[0] for row in cursor.fetchall()]
    if len(found) < COMMON:
        # Few: the keys themselves (integers read from the database), so the list's count and
        # page do not search again.
        keys = ", ".join(str(int(pk)) for pk in found) or "NULL"
        return RawSQL(f"{outer} IN ({keys})", [], output_field=BooleanField())
    # "+" keeps SQLite from reading the rows through the key's index (so it follows the order's).
    return RawSQL(f"+{outer} IN ({matches})", [expression], output_field=BooleanField())


def ranked(connection, table: str, key: str, query: list[str], limit: int, column: str = "terms"):
    """(key, score) of the documents holding any term of `query`, best first, at most `limit`:
    BM25 on SQLite, ts_rank on PostgreSQL (higher is better on both)."""
    if not query:
        return []
    expression = _expression(connection, query, "|")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            vector = f"array_to_tsvector(string_to_array(\"{column}\", ' '))"
            cursor.execute(
                f'SELECT "{key}", ts_rank({vector}, %s::tsquery) AS score FROM "{table}" '
                f"WHERE {vector} @@ %s::tsquery ORDER BY score DESC LIMIT %s",
                [expression, expression, limit],
            )
        else:
            fts = _fts(table)
            cursor.execute(
                f'SELECT rowid, -bm25("{fts}") FROM "{fts}" WHERE "{fts}" MATCH %s '
                f"ORDER BY rank LIMIT %s",
                [expression, limit],
            )
        return [(row[0], float(row[1])) for row in cursor.fetchall()]
