"""A 2 MB article is imported (pre-annotated chunk by chunk) and opened; one beyond the limit is refused.

The pre-annotating pipeline here is a real spaCy pipeline saved to disk and passed by path
(`--model PATH`, as a user would): a blank English tokenizer with an entity ruler. It runs in
a second where the statistical model needs most of a minute on 2 MB, and it goes through the
very same chunking (texts over 100,000 characters are split), so entities far into the text
must come back at their exact offsets.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import spacy
from PySide6.QtCore import Qt

from annotator.session import Corpus
from annotator.session.imports import MAX_ARTICLE_CHARS

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def ruler_pipeline(path):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")  # the importer keeps a pipeline's tok2vec and ner
    ruler.add_patterns([{"label": "PERSON", "pattern": "Witkoff"}])
    nlp.to_disk(path)
    return path


def big_article(size):
    seeds = [p.read_text(encoding="utf-8").strip() for p in sorted(SEEDS.glob("*.txt"))]
    parts, n, i = [], 0, 0
    while n < size:
        part = f"Part {i}. " + seeds[i % len(seeds)]
        parts.append(part)
        n += len(part) + 2
        i += 1
    return "\n\n".join(parts)


def annotator(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, text=True, timeout=timeout)


def test_a_2mb_article_is_imported_in_chunks_and_opens_with_every_entity_in_place(tmp_path, open_window, drive):
    text = big_article(2_000_000)
    assert 2_000_000 <= len(text) < 2_100_000
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "big.db"
    started = time.perf_counter()
    result = annotator("import", path, "--db", db, "--model", ruler_pipeline(tmp_path / "ruler"))
    print(f"2 MB article imported in {time.perf_counter() - started:.2f} s")
    assert result.returncode == 0, result.stderr
    assert "imported 1 documents" in result.stdout

    expected = sorted((m.start(), m.end(), "PERSON") for m in re.finditer(r"\bWitkoff\b", text))
    assert len(expected) > 500 and expected[-1][0] > 1_900_000  # entities all through the text, well past chunk 1
    with Corpus(db, read_only=True) as corpus:
        assert corpus.document(1).text == text
        assert [(s.start, s.end, s.label) for s in corpus.spans(1)] == expected

    started = time.perf_counter()
    window = open_window(db)  # it opens the first document
    print(f"window with the 2 MB article shown in {time.perf_counter() - started:.2f} s")
    ui = drive(window)
    assert window.doc_id == 1
    assert ui.text == text
    assert window.article.document().characterCount() - 1 == window.article.omap.to_qt(len(text))
    assert ui.shown() == ui.expected_shown() == ui.pieces(text, expected)
    # the end of the article is reachable and editable like any other: Ctrl+End, Shift+Tab to the last entity, O
    ui.key(Qt.Key_End, Qt.ControlModifier)
    assert window.article.caret() == len(text)
    ui.key(Qt.Key_Backtab, Qt.ShiftModifier)
    assert (window.article.current().start, window.article.current().end) == expected[-1][:2]
    started = time.perf_counter()
    ui.key(Qt.Key_O)
    print(f"relabel at the end of the 2 MB article: {1000 * (time.perf_counter() - started):.0f} ms")
    assert ui.db_spans()[-1] == (*expected[-1][:2], "ORG")
    assert ui.shown() == ui.expected_shown()


def test_an_article_beyond_the_limit_is_refused_with_a_message_and_nothing_is_stored(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("word " * (MAX_ARTICLE_CHARS // 5 + 1), encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text("Zelensky met Witkoff in Kyiv.", encoding="utf-8")
    db = tmp_path / "c.db"
    result = annotator("import", path, small, "--db", db, "--model", "none")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "huge.txt" in result.stderr and f"over the limit of {MAX_ARTICLE_CHARS:,}" in result.stderr
    assert "imported 1 documents" in result.stdout
    with Corpus(db, read_only=True) as corpus:
        assert corpus.count_documents() == 1
