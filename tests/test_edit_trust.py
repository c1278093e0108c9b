"""Issue 12, items 7 and 10 (session and CLI): updated_at follows edits; stance targets per corpus."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from annotator.core.records import Record
from annotator.core.scheme import DEFAULT_STANCE_TARGETS
from annotator.session import EditError
from annotator.session.corpus import Corpus
from annotator.session.importer import store_records
from annotator.session.stances import plan_add_stance, plan_update_stance
from annotator.session.targets import TargetsFileError, take_targets

OLD = "2000-01-01T00:00:00.000Z"
TEXT = "Zelensky said the ceasefire must hold in Kyiv."


def _age(corpus, table, row_id):
    corpus.db.execute(f"UPDATE {table} SET updated_at = ? WHERE id = ?", [OLD, row_id])
    corpus.db.conn.commit()


def _stamp(path, table, row_id):
    with Corpus(path, read_only=True) as fresh:  # what another reader sees
        return fresh.db.execute(f"SELECT updated_at FROM {table} WHERE id = ?", [row_id]).fetchone()[0]


def test_updated_at_changes_on_resize_relabel_note_and_undo(tmp_path):
    path = tmp_path / "c.db"
    corpus = Corpus(path)
    take_targets(corpus, _lines(tmp_path, "ceasefire\n"))
    doc = store_records(corpus, [Record(TEXT, "t", spans=[(0, 8, "PERSON"), (41, 45, "GPE")])]).added[0]
    person, city = corpus.spans(doc)
    _age(corpus, "spans", city.id)
    corpus.apply(corpus.plan_resize_span(city.id, 41, 44))  # "Kyiv" -> "Kyi"
    assert _stamp(path, "spans", city.id) > OLD
    _age(corpus, "spans", person.id)
    relabel = corpus.apply(corpus.plan_relabel_span(person.id, "ORG"))
    assert _stamp(path, "spans", person.id) > OLD
    _age(corpus, "spans", person.id)
    corpus.apply(relabel.inverse())  # undo is an edit too
    assert _stamp(path, "spans", person.id) > OLD

    stance = corpus.apply(plan_add_stance(corpus, doc, "ceasefire", "FAVOR", holder_span_id=person.id))
    sid = stance.ops[0].after["id"]
    _age(corpus, "stances", sid)
    corpus.apply(plan_update_stance(corpus, sid, note="said on TV"))
    assert _stamp(path, "stances", sid) > OLD
    _age(corpus, "stances", sid)
    corpus.apply(plan_update_stance(corpus, sid, value="AGAINST"))
    assert _stamp(path, "stances", sid) > OLD
    # an edit that leaves the row as it is stamps nothing
    _age(corpus, "stances", sid)
    corpus.db.execute("UPDATE stances SET annotator = annotator WHERE id = ?", [sid])
    assert _stamp(path, "stances", sid) == OLD
    corpus.close()


def _lines(tmp_path, content, name="targets.txt"):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    return p


def test_a_new_corpus_has_no_targets_the_seed_import_brings_them(tmp_path, nlp):
    from annotator.session.imports import import_paths, seeds_dir

    fresh = Corpus(tmp_path / "new.db")
    assert fresh.stance_targets() == []
    store_records(fresh, [Record("Unrelated article about football.", "f")])
    assert fresh.stance_targets() == []  # importing other articles does not bring them either
    fresh.close()
    seeded = Corpus(tmp_path / "seeded.db")
    report = import_paths(seeded, [seeds_dir()], nlp=nlp)
    assert report.seed_targets == len(DEFAULT_STANCE_TARGETS)
    assert seeded.stance_targets() == list(DEFAULT_STANCE_TARGETS)
    seeded.close()


def test_targets_from_lines_json_and_another_corpus_one_undoable_edit(tmp_path):
    corpus = Corpus(tmp_path / "c.db")
    report = take_targets(corpus, _lines(tmp_path, "# topics\nclimate policy\n\n  energy   prices \nclimate policy\n"))
    assert corpus.stance_targets() == ["climate policy", "energy prices"]
    assert report.added_targets == ["climate policy", "energy prices"] and report.duplicates == 1
    data = {"targets": ["energy prices", {"name": "migration"}], "values": ["FAVOR", "MIXED"]}
    report = take_targets(corpus, _lines(tmp_path, json.dumps(data), "scheme.json"))
    assert report.added_targets == ["migration"] and report.existing == ["energy prices"] and report.added_values == ["MIXED"]
    assert "MIXED" in corpus.stance_values()
    undo = corpus.history(limit=1)[0]
    assert undo["action"].startswith("take stance targets")
    other = Corpus(tmp_path / "other.db")
    take_targets(other, corpus.path, from_db=True)
    assert other.stance_targets() == corpus.stance_targets() and other.stance_values() == corpus.stance_values()
    with pytest.raises(EditError, match="nothing to add"):
        take_targets(other, corpus.path, from_db=True)
    other.close()
    corpus.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [('["a", 3]', "item 2 of the list is not a name"), ('{\n"targets": [\n"a",\n]}', "line 4: not valid JSON"),
     ("\n# nothing\n", "no targets"), ('{"names": []}', "needs a \"targets\" list")],
)
def test_a_bad_targets_file_is_refused_by_file_and_line_nothing_written(tmp_path, content, message):
    corpus = Corpus(tmp_path / "c.db")
    with pytest.raises(TargetsFileError, match=message):
        take_targets(corpus, _lines(tmp_path, content, "bad.json"))
    assert corpus.stance_targets() == [] and corpus.history() == []
    corpus.close()


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_cli_targets_import_from_file_and_from_db(tmp_path):
    src = _lines(tmp_path, "climate policy\nenergy prices\n")
    done = _cli("targets", "import", src, "--db", tmp_path / "a.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2 targets added" in done.stdout
    done = _cli("targets", "import", "--from-db", tmp_path / "a.db", "--db", tmp_path / "b.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = _cli("targets", "list", "--db", tmp_path / "b.db", cwd=tmp_path)
    assert listed.stdout.split("\n")[:2] == ["climate policy", "energy prices"]
    bad = _cli("targets", "import", _lines(tmp_path, "[1]", "bad.json"), "--db", tmp_path / "b.db", cwd=tmp_path)
    assert bad.returncode != 0 and "bad.json: item 1 of the list is not a name" in bad.stderr and "Traceback" not in bad.stderr
    neither = _cli("targets", "import", "--db", tmp_path / "b.db", cwd=tmp_path)
    assert neither.returncode != 0 and "FILE or --from-db" in neither.stderr
