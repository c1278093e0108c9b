"""Document metadata: found at import (meta keys, datelines), backfilled by the migration, edited
as undoable changes, filtered on in the document list, exported in meta and stances.jsonl."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
import srsly
from sqlite_utils.migrations import Migrations

from annotator.core import doc_metadata as dm
from annotator.core.errors import BadInput
from annotator.core.records import Record
from annotator.session.corpus import Corpus, EditError
from annotator.session.doc_filter import DocFilter
from annotator.session.export import ExportOptions, export_corpus
from annotator.session.importer import store_records
from annotator.session.imports import import_paths
from annotator.session.metadata import document_metadata, outlets, plan_set_metadata
from annotator.session.stances import plan_add_stance
from annotator.storage import schema

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


# ---- finding values --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, day",
    [
        ("Tuesday, 02 January 2024 12:17 GMT", "2024-01-02"),
        ("January 2, 2024", "2024-01-02"),
        ("2nd Jan. 2024", "2024-01-02"),
        ("2024-01-02T23:30:00-05:00", "2024-01-02"),  # the day as written, not moved to UTC
        ("Tue, 02 Jan 2024 12:17:00 +0000", "2024-01-02"),
        ("2024/01/02", "2024-01-02"),
        ("20240102", "2024-01-02"),
        ("25/12/2024", "2024-12-25"),
        (1704197820, "2024-01-02"),
        (1704197820000, "2024-01-02"),
        ("01/02/2024", None),  # 1 February or 2 January: not guessed
        ("2024-02-30", None),
        ("yesterday", None),
        ("May 2024", None),
        (True, None),
    ],
)
def test_dates_are_read_strictly(raw, day):
    assert dm.normalize_date(raw) == day


def test_meta_keys_are_found_whatever_their_spelling():
    meta = {"Pub-Date": "2024-03-01", "source": {"id": None, "name": "BBC News"}, "link": "https://bbc.co.uk/news/1",
            "authors": ["Ann Lee", {"name": "Bo Chen"}], "date": "2020-01-01"}
    assert dm.from_meta(meta) == {"published": "2024-03-01", "outlet": "BBC News", "url": "https://bbc.co.uk/news/1",
                                  "author": "Ann Lee; Bo Chen"}
    assert dm.from_meta({"url": "not a url", "byline": "By Jane Roe", "publisher": "  AP  "}) == {"author": "Jane Roe", "outlet": "AP"}


def test_the_text_gives_a_dateline_a_published_line_a_byline_a_wire_tag_and_a_source_line():
    text = ("Talks resume\nBy Jane Doe and John Smith, Reuters\nPublished on 3 March 2024\n"
            "KYIV (Reuters) - The talks resumed on Monday.\nMore text.\nSource: https://example.com/a")
    assert dm.from_text(text) == {"author": "Jane Doe and John Smith", "published": "2024-03-03", "outlet": "Reuters",
                                  "url": "https://example.com/a"}
    # an update line, a photo credit and a sentence starting with "By" are not metadata
    assert dm.from_text("Title\nLast updated 4 March 2024\n(Photo) A crowd.\nBy the way, it rained.\n") == {}
    assert dm.from_text("12:17 GMT, 2 January 2024\nTitle")["published"] == "2024-01-02"


def test_the_meta_wins_over_the_text_and_each_value_keeps_its_source():
    found = dm.find({"date": "2024-05-06"}, "Tuesday, 02 January 2024 12:17 GMT\n(MENAFN) Something happened.")
    assert found == {"published": ("2024-05-06", "meta"), "outlet": ("MENAFN", "text")}


# ---- import and migration ---------------------------------------------------------------------
def rows(corpus: Corpus) -> dict[int, dict]:
    cols = ", ".join(dm.COLUMNS)
    return {r[0]: dict(zip(dm.COLUMNS, r[1:])) for r in corpus.db.execute(f"SELECT id, {cols} FROM documents ORDER BY id")}


def test_importing_the_seeds_finds_the_dateline_and_wire_tag_of_the_menafn_article(empty_corpus):
    report = import_paths(empty_corpus, [SEEDS], model=None)
    assert len(report.added) == 5
    found = {doc_id: r for doc_id, r in rows(empty_corpus).items() if r["published"]}
    assert len(found) == 1
    (row,) = found.values()
    assert (row["published"], row["published_src"], row["outlet"], row["outlet_src"]) == ("2024-01-02", "text", "MENAFN", "text")


def test_a_jsonl_import_takes_the_meta(empty_corpus, tmp_path):
    data = tmp_path / "feed.jsonl"
    data.write_text(
        json.dumps({"text": "Kyiv said no.", "meta": {"published": "2024-02-03T10:00:00Z", "outlet": "AP",
                                                       "url": "https://apnews.com/x", "author": "A. Writer"}}) + "\n"
        + json.dumps({"text": "Moscow said yes.", "meta": {"pub_date": "3 February 2024"}}) + "\n",
        encoding="utf-8",
    )
    import_paths(empty_corpus, [data], model=None)
    got = list(rows(empty_corpus).values())
    assert got[0] == {"published": "2024-02-03", "published_src": "meta", "outlet": "AP", "outlet_src": "meta",
                      "url": "https://apnews.com/x", "url_src": "meta", "author": "A. Writer", "author_src": "meta"}
    assert got[1]["published"] == "2024-02-03" and got[1]["outlet"] is None and got[1]["outlet_src"] is None


def old_database(path: Path) -> None:
    """A database as the build before migration 0011 left it."""
    db = sqlite_utils.Database(sqlite3.connect(str(path), isolation_level=None))
    before = Migrations(schema.MIGRATION_SET)
    before._migrations = [m for m in schema.migrations._migrations if m.name < "0011"]
    before.apply(db)
    db.execute(f"PRAGMA user_version = {len(before._migrations)}")
    db.execute(
        "INSERT INTO documents (id, text, sha256, meta, status) VALUES "
        "(1, 'Tuesday, 02 January 2024 12:17 GMT' || char(10) || '(MENAFN) Strikes.', 'a', '{\"file\": \"x.txt\"}', 'accepted'),"
        "(2, 'Plain text.', 'b', '{\"source\": \"Reuters\", \"date\": \"2023-12-31\"}', 'accepted'),"
        "(3, 'Nothing here.', 'c', 'not json', 'new')"
    )
    ops = json.dumps([{"table": "documents", "before": {"id": 1, "status": "new"}, "after": {"id": 1, "status": "accepted"}}])
    db.execute("INSERT INTO history (ts, doc_id, action, ops) VALUES ('2024-05-01T10:00:00.000Z', 1, 'mark accepted', ?)", [ops])
    db.conn.close()


def test_the_migration_fills_in_existing_documents_and_when_they_were_accepted(tmp_path):
    path = tmp_path / "old.db"
    old_database(path)
    with Corpus(path) as corpus:
        got = rows(corpus)
        assert (got[1]["published"], got[1]["published_src"], got[1]["outlet"]) == ("2024-01-02", "text", "MENAFN")
        assert (got[2]["published"], got[2]["published_src"], got[2]["outlet"], got[2]["outlet_src"]) == (
            "2023-12-31", "meta", "Reuters", "meta")
        assert got[3] == dict.fromkeys(dm.COLUMNS)
        accepted = dict(corpus.db.execute("SELECT doc_id, ts FROM documents_accepted"))
        assert accepted[1] == "2024-05-01T10:00:00.000Z"  # from the history
        assert set(accepted) == {1, 2}  # document 2 has no history row: its import time stands in


# ---- editing ----------------------------------------------------------------------------------
def test_an_edit_is_a_typed_undoable_change(corpus):
    doc_id = 2  # the MENAFN seed: date and outlet found in its text
    before = document_metadata(corpus, doc_id)
    assert before.sources == {"published": "text", "outlet": "text", "url": None, "author": None}
    change = corpus.apply(plan_set_metadata(corpus, doc_id, published="5 January 2024", url="https://menafn.com/1"))
    after = document_metadata(corpus, doc_id)
    assert (after.published, after.url, after.outlet) == ("2024-01-05", "https://menafn.com/1", "MENAFN")
    assert after.sources == {"published": "typed", "outlet": "text", "url": "typed", "author": None}
    assert corpus.history(doc_id, limit=1)[0]["action"] == change.action == "set published 2024-01-05, URL https://menafn.com/1"
    corpus.apply(change.inverse())
    assert document_metadata(corpus, doc_id) == before
    corpus.apply(change)  # redo
    assert document_metadata(corpus, doc_id) == after
    cleared = corpus.apply(plan_set_metadata(corpus, doc_id, outlet=""))
    assert document_metadata(corpus, doc_id).outlet is None and document_metadata(corpus, doc_id).source("outlet") == "typed"
    assert cleared.action == "set no outlet"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"published": "01/02/2024"}, "is not a date"),
        ({"url": "www.example.com"}, "is not a web address"),
        ({"author": "x" * 400}, "one line of at most"),
        ({"colour": "red"}, "unknown metadata field"),
        ({"outlet": "MENAFN"}, "nothing to change"),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_written(corpus, fields, message):
    history = len(corpus.history(limit=1000))
    before = document_metadata(corpus, 2)
    with pytest.raises(EditError, match=message):
        plan_set_metadata(corpus, 2, **fields)
    assert document_metadata(corpus, 2) == before and len(corpus.history(limit=1000)) == history


# ---- filtering the document list --------------------------------------------------------------
@pytest.fixture
def dated(empty_corpus) -> Corpus:
    recs = [
        Record(f"Article {i}.", meta={"date": day, "outlet": outlet} if day else {"outlet": outlet})
        for i, (day, outlet) in enumerate([("2024-01-01", "AP"), ("2024-01-15", "AP"), ("2024-02-01", "Reuters"),
                                           (None, "Reuters"), (None, None), ("2024-03-01", None)])
    ]
    store_records(empty_corpus, recs)
    return empty_corpus


@pytest.mark.parametrize(
    "where, sql",
    [
        (DocFilter(outlets=("AP",)), "outlet = 'AP'"),
        (DocFilter(outlets=("Reuters", "")), "outlet = 'Reuters' OR outlet IS NULL"),
        (DocFilter(date_from="2024-01-10", date_to="2024-02-01"), "published IS NULL OR published BETWEEN '2024-01-10' AND '2024-02-01'"),
        (DocFilter(date_from="2024-01-10", undated="exclude"), "published >= '2024-01-10'"),
        (DocFilter(undated="only"), "published IS NULL"),
        (DocFilter(statuses=("new",), outlets=("AP",), date_to="1 January 2024", undated="exclude"),
         "status = 'new' AND outlet = 'AP' AND published <= '2024-01-01'"),
    ],
)
def test_the_document_list_filters_on_metadata(dated, where, sql):
    expected = [r[0] for r in dated.db.execute(f"SELECT id FROM documents WHERE {sql} ORDER BY id")]
    assert expected  # every case keeps something
    assert dated.count_documents(where=where) == len(expected)
    assert [r.id for r in dated.document_rows(where=where)] == expected
    assert dated.document_index(expected[-1], where=where) == len(expected) - 1
    left_out = dated.db.execute(f"SELECT id FROM documents WHERE NOT ({sql}) OR ({sql}) IS NULL LIMIT 1").fetchone()
    if left_out:
        assert dated.document_index(left_out[0], where=where) is None


def test_outlets_are_listed_with_their_counts(dated):
    assert outlets(dated) == [("AP", 2), ("Reuters", 2), (None, 2)]


@pytest.mark.parametrize("kwargs", [{"date_from": "soon"}, {"statuses": ("done",)}, {"undated": "maybe"},
                                    {"date_from": "2024-02-01", "date_to": "2024-01-01"}])
def test_a_bad_filter_is_refused_with_a_message(kwargs):
    with pytest.raises(BadInput):
        DocFilter(**kwargs)


# ---- export -----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["jsonl", "doccano"])
def test_exports_carry_the_metadata_in_meta_and_in_stances_jsonl(corpus, tmp_path, fmt):
    corpus.apply(plan_set_metadata(corpus, 2, url="https://menafn.com/1"))
    corpus.apply(plan_add_stance(corpus, 2, "ceasefire", "AGAINST", holder_text="Moscow"))
    for doc_id in (1, 2):
        corpus.apply(corpus.plan_set_status(doc_id, "accepted"))
    result = export_corpus(corpus, ExportOptions(out=tmp_path / "out", fmt=fmt, dev=0.5))
    metas = {r["_annotator"]["doc_id"]: r["meta"] for f in ("train", "dev") for r in srsly.read_jsonl(result.folder / f"{f}.jsonl")}
    assert {k: metas[2][k] for k in dm.FIELDS} == {"published": "2024-01-02", "outlet": "MENAFN",
                                                    "url": "https://menafn.com/1", "author": None}
    assert {k: metas[1][k] for k in dm.FIELDS} == dict.fromkeys(dm.FIELDS)
    (stance,) = srsly.read_jsonl(result.folder / "stances.jsonl")
    assert (stance["published"], stance["outlet"], stance["url"]) == ("2024-01-02", "MENAFN", "https://menafn.com/1")


def test_copies_for_analysts_keep_the_metadata_and_a_review_finds_it_again(seeded_db, tmp_path):
    from annotator.session.handout import copy_for_annotators
    from annotator.session.review import build_review

    with Corpus(seeded_db) as c:
        c.apply(plan_set_metadata(c, 1, published="2024-01-20", outlet="BBC News"))
    copy_for_annotators(seeded_db, tmp_path / "team", ["alice", "bob"], overlap=5, preannotations=False)
    copies = sorted((tmp_path / "team").glob("*.db"))
    assert len(copies) == 2
    for path in copies:
        with Corpus(path) as copy:
            by_title = {copy.document(r.id).title: r.id for r in copy.document_rows()}
            typed = document_metadata(copy, by_title[next(t for t in by_title if t.startswith("Delegations"))])
            assert (typed.published, typed.outlet, typed.source("outlet")) == ("2024-01-20", "BBC News", "typed")
            for doc_id in by_title.values():
                copy.apply(copy.plan_set_status(doc_id, "accepted"))
    build_review(copies, tmp_path / "review.db", reviewer="rita")
    with Corpus(tmp_path / "review.db") as review:
        found = [document_metadata(review, r.id) for r in review.document_rows()]
        assert any((m.published, m.outlet, m.source("published")) == ("2024-01-02", "MENAFN", "text") for m in found)


def test_import_says_which_meta_values_it_could_not_read(tmp_path):
    # a date it cannot read ("yesterday", or 03/04/2024 either way round) or a URL without http was
    # dropped without a word; it stays in the meta, and the import now names it by file and line
    import subprocess
    import sys

    src = tmp_path / "feed.jsonl"
    src.write_text(
        '{"text": "Macron met Scholz in Berlin.", "meta": {"published": "yesterday", "url": "not a url", "outlet": "Le Monde"}}\n'
        '{"text": "Sunak visited Kyiv.", "meta": {"date": "03/04/2024"}}\n'
        '{"text": "Biden spoke with Zelensky.", "meta": {"pub_date": "2024-02-29", "url": "https://bbc.co.uk/x"}}\n',
        encoding="utf-8")
    db = tmp_path / "c.db"
    r = subprocess.run([sys.executable, "-m", "annotator", "import", "--db", str(db), "--model", "none", str(src)],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    assert "3 metadata values not read" in r.stdout
    assert "feed.jsonl:1: published 'yesterday' is not a date" in r.stderr
    assert "feed.jsonl:1: url 'not a url' is not a web address" in r.stderr
    assert "feed.jsonl:2: date '03/04/2024' is not a date (day and month could be either way round)" in r.stderr
    assert "feed.jsonl:3" not in r.stderr
    from annotator.session.corpus import Corpus

    with Corpus(db, read_only=True) as c:
        assert c.count_documents() == 3
