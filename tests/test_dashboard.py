"""Every number of the dashboard equals a count over the database, filtered or not, and
documents without a date land in a visible "no date" bucket."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from annotator.core.errors import BadInput
from annotator.core.records import Record
from annotator.session import dashboard as dsh
from annotator.session.corpus import Corpus
from annotator.session.doc_filter import DocFilter
from annotator.session.importer import store_records
from annotator.session.metadata import plan_set_metadata
from annotator.session.stances import plan_add_stance

HOLDERS = ["Zelensky", "zelensky ", "Putin", "Trump", ""]  # the first two are one holder; "" is the article
OUTLETS = ["AP", "Reuters", None]


@pytest.fixture
def corpus(empty_corpus) -> Corpus:
    """40 short articles over ten weeks (a quarter undated), stances and acceptances made through the edit path."""
    rng = random.Random(3)
    c = empty_corpus
    records = []
    for i in range(40):
        day = None if i % 4 == 3 else (date(2024, 1, 1) + timedelta(days=rng.randrange(70))).isoformat()
        meta = {k: v for k, v in (("date", day), ("outlet", OUTLETS[i % 3])) if v}
        words = " ".join(f"word{j}" for j in range(40))
        records.append(Record(f"Article {i} says {words}.", title=f"Article {i}", meta=meta, spans=[(0, 7, "ORG"), (8, 10, "CARDINAL")]))
    store_records(c, records)
    targets = c.stance_targets()[:3]
    for doc_id in range(1, 41):
        for k in range(rng.randrange(4)):
            start = 20 + k * 30
            c.apply(plan_add_stance(c, doc_id, rng.choice(targets), rng.choice(["FAVOR", "AGAINST", "NEUTRAL"]),
                                    holder_text=rng.choice(HOLDERS), ev_start=start, ev_end=start + 10))
        if doc_id % 3 == 0:
            c.apply(c.plan_set_status(doc_id, "accepted"))
    return c


def raw_stances(c: Corpus) -> list[dict]:
    """Every stance with its document's facets, read plainly (no dashboard SQL involved)."""
    cols = ("holder_text", "target", "value", "published", "outlet", "status")
    sql = "SELECT s.holder_text, s.target, s.value, d.published, d.outlet, d.status FROM stances s JOIN documents d ON d.id = s.doc_id"
    return [dict(zip(cols, r)) for r in c.db.execute(sql)]


def holder(text: str) -> str:
    return (text.strip() or "the article").casefold()


def keep(row: dict, where: DocFilter | None) -> bool:
    if where is None:
        return True
    if where.statuses and row["status"] not in where.statuses:
        return False
    if where.outlets and (row["outlet"] or "") not in where.outlets:
        return False
    if row["published"] is None:
        return where.undated != "exclude"
    if where.undated == "only":
        return False
    return (not where.date_from or row["published"] >= where.date_from) and (not where.date_to or row["published"] <= where.date_to)


def week(day: str | None) -> str:
    if day is None:
        return dsh.NO_DATE
    d = date.fromisoformat(day)
    return (d - timedelta(days=d.weekday())).isoformat()


FILTERS = [
    None,
    DocFilter(outlets=("AP",)),
    DocFilter(outlets=("Reuters", "")),
    DocFilter(statuses=("accepted",)),
    DocFilter(date_from="2024-01-15", date_to="2024-02-20"),
    DocFilter(date_from="2024-01-15", undated="exclude"),
    DocFilter(undated="only", outlets=("AP", "Reuters")),
]


@pytest.mark.parametrize("where", FILTERS)
def test_the_matrix_equals_counts_over_the_database(corpus, where):
    m = dsh.stance_matrix(corpus, where)
    expected = Counter((holder(r["holder_text"]), r["target"], r["value"]) for r in raw_stances(corpus) if keep(r, where))
    got = Counter({(h.casefold(), t, v): n for (h, t), counts in m.counts.items() for v, n in counts.items()})
    assert got == expected and m.total == sum(expected.values()) > 0
    assert "zelensky" in {h.casefold() for h in m.holders} and len(m.holders) == len({h.casefold() for h in m.holders})
    for (h, t), counts in m.counts.items():
        for v, n in counts.items():
            cell = dsh.Cell(holder=h, target=t, value=v)
            assert dsh.count_stances(corpus, where, cell) == n
            records = dsh.stance_rows(corpus, where, cell)
            assert len(records) == n and all((r.target, r.value, r.holder.casefold()) == (t, v, h.casefold()) for r in records)
    clauses, args = (where or DocFilter()).clauses("d")
    sql = "SELECT count(*) FROM stances s JOIN documents d ON d.id = s.doc_id" + (" WHERE " + " AND ".join(clauses) if clauses else "")
    assert m.total == corpus.db.execute(sql, args).fetchone()[0]


@pytest.mark.parametrize("where", FILTERS)
@pytest.mark.parametrize("by", ["target", "holder"])
def test_the_timeline_equals_counts_over_the_database_with_a_no_date_bucket(corpus, where, by):
    t = dsh.timeline(corpus, where, by=by, size="week")
    rows = [r for r in raw_stances(corpus) if keep(r, where)]
    key = (lambda r: r["target"]) if by == "target" else (lambda r: holder(r["holder_text"]))
    expected = Counter((week(r["published"]), key(r), r["value"]) for r in rows)
    got = Counter({(b, g if by == "target" else g.casefold(), v): n for (b, g), c in t.counts.items() for v, n in c.items()})
    assert got == expected
    undated = sum(1 for r in rows if r["published"] is None)
    assert (dsh.NO_DATE in t.buckets) == (undated > 0) and (not undated or t.buckets[-1] == dsh.NO_DATE)
    series = t.series()
    assert sum(sum(s) for s in series.values()) == len(rows) == t.total
    if undated:
        assert sum(s[-1] for s in series.values()) == undated
        cell = dsh.Cell(bucket=dsh.NO_DATE)
        assert dsh.count_stances(corpus, where, cell) == len(dsh.stance_rows(corpus, where, cell)) == undated
    dated = [b for b in t.buckets if b != dsh.NO_DATE]
    assert dated == sorted(dated) and all(date.fromisoformat(b).weekday() == 0 for b in dated)
    assert all((date.fromisoformat(b) - date.fromisoformat(a)).days == 7 for a, b in zip(dated, dated[1:]))  # gaps show
    for b in dated[:3]:
        for g in t.groups[:2]:
            n = sum(t.counts.get((b, g), Counter()).values())
            assert dsh.count_stances(corpus, where, dsh.Cell(bucket=b, size="week", **{by: g})) == n


def test_day_and_month_buckets(corpus):
    rows = raw_stances(corpus)
    for size, cut in (("day", lambda d: d), ("month", lambda d: d[:8] + "01")):
        t = dsh.timeline(corpus, size=size)
        expected = Counter(cut(r["published"]) if r["published"] else dsh.NO_DATE for r in rows)
        got: Counter = Counter()
        for (b, _), c in t.counts.items():
            got[b] += c.total()
        assert got == expected
    with pytest.raises(BadInput):
        dsh.timeline(corpus, size="year")


@pytest.mark.parametrize("where", FILTERS)
def test_progress_and_entities_equal_counts_over_the_database(corpus, where):
    clauses, args = (where or DocFilter()).clauses("d")
    sql = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    p = dsh.progress(corpus, where)
    assert p.statuses == {s: corpus.db.execute(f"SELECT count(*) FROM documents d{sql}{' AND' if sql else ' WHERE'} status = ?",
                                                args + [s]).fetchone()[0] for s in p.statuses}
    assert p.left == p.statuses["new"] + p.statuses["in_progress"]
    assert sum(n for _, n in p.accepted_per_day) == p.statuses["accepted"]
    ents = dict(dsh.entities_by_label(corpus, where))
    expected = dict(corpus.db.execute(f"SELECT label, count(*) FROM spans JOIN documents d ON d.id = spans.doc_id{sql} GROUP BY label", args))
    assert ents == expected


def test_accepted_per_day_follows_undo_and_counts_imports_of_accepted_records(corpus):
    accepted = corpus.status_counts()["accepted"]
    change = corpus.apply(corpus.plan_set_status(1, "accepted"))
    assert sum(n for _, n in dsh.progress(corpus).accepted_per_day) == accepted + 1
    corpus.apply(change.inverse())
    assert sum(n for _, n in dsh.progress(corpus).accepted_per_day) == accepted
    store_records(corpus, [Record("An accepted import.", status="accepted")])
    assert sum(n for _, n in dsh.progress(corpus).accepted_per_day) == accepted + 1


def test_a_metadata_edit_moves_the_stances_of_the_document_between_buckets(corpus):
    undated = [r[0] for r in corpus.db.execute(
        "SELECT DISTINCT s.doc_id FROM stances s JOIN documents d ON d.id = s.doc_id WHERE d.published IS NULL")]
    before = dsh.count_stances(corpus, cell=dsh.Cell(bucket=dsh.NO_DATE))
    moved = len(corpus.stances(undated[0]))
    corpus.apply(plan_set_metadata(corpus, undated[0], published="2024-06-05"))
    assert dsh.count_stances(corpus, cell=dsh.Cell(bucket=dsh.NO_DATE)) == before - moved
    assert dsh.count_stances(corpus, cell=dsh.Cell(bucket="2024-06-03", size="week")) == moved


def test_the_holder_grouping_is_one_function_used_everywhere(corpus, monkeypatch):
    """Switching holders to actors means changing holder_grouping only: every aggregate follows it."""
    monkeypatch.setattr(dsh, "holder_grouping", lambda c: dsh.HolderGrouping(raw="s.value", name="upper({raw})"))
    m = dsh.stance_matrix(corpus)
    assert set(m.holders) <= {"FAVOR", "AGAINST", "NEUTRAL"}
    assert set(dsh.timeline(corpus, by="holder").groups) == set(m.holders)
    assert {r.holder for r in dsh.stance_rows(corpus)} == set(m.holders)


def test_an_empty_corpus_has_empty_charts(empty_corpus):
    assert dsh.stance_matrix(empty_corpus).total == 0
    t = dsh.timeline(empty_corpus)
    assert t.buckets == [] and t.total == 0
    assert dsh.progress(empty_corpus).total == 0 and dsh.entities_by_label(empty_corpus) == []
