"""The schema, as an ordered list of sqlite-utils migrations.

Append new migrations at the end; never edit one that has shipped.
SCHEMA_VERSION is the number of migrations and is also kept in PRAGMA user_version,
so an older build can tell a newer database apart without knowing its migrations.
"""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils.migrations import Migrations

from annotator.core.scheme import DEFAULT_LABELS, DEFAULT_STANCE_TARGETS, DEFAULT_STANCE_VALUES

MIGRATION_SET = "annotator"
migrations = Migrations(MIGRATION_SET)


def run_script(db, script: str) -> None:
    """Execute statements one by one: executescript() would COMMIT the migration's transaction."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            db.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending!r}")


@migrations(name="0001_initial")
def m0001_initial(db):
    run_script(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            meta TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'in_progress', 'accepted', 'skipped')),
            n_spans INTEGER NOT NULL DEFAULT 0,
            annotator TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX documents_status ON documents(status, id);

        CREATE TABLE labels (
            name TEXT PRIMARY KEY CHECK (length(name) > 0),
            color TEXT NOT NULL,
            key TEXT NOT NULL DEFAULT '',
            hidden INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE spans (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            label TEXT NOT NULL REFERENCES labels(name) ON UPDATE CASCADE,
            origin TEXT NOT NULL DEFAULT 'annotator',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            CHECK (start >= 0 AND start < end)
        );
        CREATE INDEX spans_doc ON spans(doc_id, start);
        CREATE INDEX spans_label ON spans(label);

        CREATE TRIGGER spans_count_insert AFTER INSERT ON spans BEGIN
            UPDATE documents SET n_spans = n_spans + 1 WHERE id = NEW.doc_id;
        END;
        CREATE TRIGGER spans_count_delete AFTER DELETE ON spans BEGIN
            UPDATE documents SET n_spans = n_spans - 1 WHERE id = OLD.doc_id;
        END;

        CREATE TABLE stance_targets (
            name TEXT PRIMARY KEY CHECK (length(name) > 0),
            hidden INTEGER NOT NULL DEFAULT 0,
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE stance_values (
            name TEXT PRIMARY KEY CHECK (length(name) > 0),
            position INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE stances (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            holder_span_id INTEGER REFERENCES spans(id) ON DELETE SET NULL,
            holder_text TEXT NOT NULL DEFAULT '',
            holder_start INTEGER,
            holder_end INTEGER,
            target TEXT NOT NULL REFERENCES stance_targets(name) ON UPDATE CASCADE,
            value TEXT NOT NULL REFERENCES stance_values(name) ON UPDATE CASCADE,
            ev_start INTEGER,
            ev_end INTEGER,
            note TEXT NOT NULL DEFAULT '',
            annotator TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            CHECK ((ev_start IS NULL AND ev_end IS NULL) OR (ev_start >= 0 AND ev_start < ev_end))
        );
        CREATE INDEX stances_doc ON stances(doc_id);

        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            ts TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            annotator TEXT NOT NULL DEFAULT '',
            doc_id INTEGER,
            action TEXT NOT NULL,
            ops TEXT NOT NULL
        );
        CREATE INDEX history_doc ON history(doc_id, id);
        CREATE TRIGGER history_no_update BEFORE UPDATE ON history
            BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        CREATE TRIGGER history_no_delete BEFORE DELETE ON history
            BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        """
    )
    db["labels"].insert_all(
        [{"name": lb.name, "color": lb.color, "key": lb.key, "hidden": 0, "position": lb.position} for lb in DEFAULT_LABELS]
    )
    db["stance_targets"].insert_all([{"name": t, "hidden": 0, "position": i} for i, t in enumerate(DEFAULT_STANCE_TARGETS)])
    db["stance_values"].insert_all([{"name": v, "position": i} for i, v in enumerate(DEFAULT_STANCE_VALUES)])
    db["meta"].insert_all(
        [{"key": "lang", "value": "en"}, {"key": "models", "value": json.dumps([])}]
    )


@migrations(name="0002_no_document_row_writes_per_edit")
def m0002_no_document_row_writes_per_edit(db):
    """Edits no longer rewrite the document's row.

    SQLite rewrites a whole row (the article text and its overflow pages included) on any
    update, so a per-span counter kept by trigger made every entity insert or delete rewrite
    the text: 3 ms per entity and ~33 ms per edit on a 2 MB article. The count is now an
    indexed count where it is shown, and who edited when is in the history.
    """
    run_script(
        db,
        """
        DROP TRIGGER spans_count_insert;
        DROP TRIGGER spans_count_delete;
        ALTER TABLE documents DROP COLUMN n_spans;
        """,
    )


@migrations(name="0003_full_text_search")
def m0003_full_text_search(db):
    """Search titles and text through an FTS5 index instead of LIKE over every article.

    LIKE read all 479 MB of a 100k-article corpus: 0.2-0.5 s per query; the index answers in
    under 0.1 s. detail=none keeps no word positions (queries never need them, see
    storage.search): 35 MB instead of 232 MB for those 100k articles, built in 3.6 s instead of
    10.7 s. That option is why this is SQL rather than sqlite-utils' enable_fts. The triggers
    re-index only when the title or text changes, never on a status change.
    """
    run_script(
        db,
        """
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, text, content='documents', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2', detail=none
        );
        INSERT INTO documents_fts (rowid, title, text) SELECT id, title, text FROM documents;
        CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
        END;
        CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
            INSERT INTO documents_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        """,
    )


@migrations(name="0004_history_kind")
def m0004_history_kind(db):
    """Say what each history row is, so the undo history can be rebuilt after a restart.

    kind: 'edit' (a user's edit), 'undo' / 'redo' (of the history row `ref`), 'import' (documents
    stored by an import) or another word a bulk operation chooses. Older rows are edits; the
    'undo …' actions written before this migration are marked as undos without a ref (they end
    the chain: nothing before them is offered for undo after a restart).
    """
    run_script(
        db,
        """
        ALTER TABLE history ADD COLUMN kind TEXT NOT NULL DEFAULT 'edit';
        ALTER TABLE history ADD COLUMN ref INTEGER;
        """,
    )
    # history is append-only by trigger: lift it for this one-time backfill, in the migration's transaction
    run_script(
        db,
        """
        DROP TRIGGER history_no_update;
        UPDATE history SET kind = 'undo' WHERE action LIKE 'undo %';
        UPDATE history SET kind = 'import' WHERE doc_id IS NULL AND action LIKE 'import%';
        CREATE TRIGGER history_no_update BEFORE UPDATE ON history
            BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        """,
    )


NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


@migrations(name="0007_edit_trust")
def m0007_edit_trust(db):
    """updated_at follows edits; a new corpus no longer starts with the seed articles' stance targets.

    The triggers stamp updated_at when an edit changes a span (resize, relabel) or a stance (any
    field, the note included), unless the edit set updated_at itself; SQLite's recursive triggers
    are off, so their own UPDATE does not fire them again. The seed targets (peace deal,
    ceasefire …) belong to the seed articles: the first-run seed import adds them
    (session.imports). A database that holds no documents yet loses the unused ones that
    migration 0001 gave every corpus; one with documents keeps whatever it has.
    """
    run_script(
        db,
        f"""
        CREATE TRIGGER spans_updated_at AFTER UPDATE OF start, [end], label, origin, doc_id ON spans
        WHEN NEW.updated_at IS OLD.updated_at
        BEGIN
            UPDATE spans SET updated_at = {NOW} WHERE id = NEW.id;
        END;
        CREATE TRIGGER stances_updated_at
        AFTER UPDATE OF target, value, holder_span_id, holder_text, holder_start, holder_end, ev_start, ev_end, note ON stances
        WHEN NEW.updated_at IS OLD.updated_at
        BEGIN
            UPDATE stances SET updated_at = {NOW} WHERE id = NEW.id;
        END;
        """,
    )
    if db.execute("SELECT count(*) FROM documents").fetchone()[0] == 0:
        marks = ", ".join("?" for _ in DEFAULT_STANCE_TARGETS)
        db.execute(
            f"DELETE FROM stance_targets WHERE name IN ({marks}) AND name NOT IN (SELECT target FROM stances)",
            list(DEFAULT_STANCE_TARGETS),
        )


@migrations(name="0009_review")
def m0009_review(db):
    """Review corpora: every analyst's version of a document, and the reviewer's decisions.

    `versions` is written once when a review corpus is built and never edited: it is what each
    analyst said (spans and stances as JSON, their status and when they last changed it), kept
    beside the adjudicated gold so who said what survives the review. `review_decisions` holds
    one row per settled difference (take an analyst's version, both, reject, by hand); it is
    edited only through Changes, so deciding is undoable like any edit. Ordinary corpora leave
    both tables empty.
    """
    run_script(
        db,
        """
        CREATE TABLE versions (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            annotator TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            ts TEXT NOT NULL DEFAULT '',
            spans TEXT NOT NULL DEFAULT '[]',
            stances TEXT NOT NULL DEFAULT '[]',
            UNIQUE (doc_id, annotator)
        );
        CREATE TABLE review_decisions (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            decision TEXT NOT NULL,
            UNIQUE (doc_id, item)
        );
        """,
    )


@migrations(name="0011_doc_metadata")
def m0011_doc_metadata(db):
    """Publication date, outlet, URL and author as columns, each with where it came from
    (meta / text / typed); and the day each accepted document was accepted.

    The columns are added at the end of the row, after the article text: a query that reads them
    from the row would walk the text's overflow pages. So the indexes cover what the dashboard
    filters on (status, published, outlet): by date, by outlet, and by id (`documents_facets`,
    for joins from stances); `spans_doc_label` counts a document's entities by label without
    reading the spans rows, and `stances_holder` gives the stance matrix its rows in group order
    (see session.dashboard).
    `documents_accepted` is kept by triggers whatever path changes a status (an edit, an undo, an
    import of accepted records), so "accepted per day" is an indexed count, not a scan of the
    history's JSON. Existing documents are filled in here, from their meta and their text, the
    same way an import fills new ones (annotator.core.doc_metadata).
    """
    from annotator.core import doc_metadata

    sources = "('meta', 'text', 'typed')"
    date_glob = "'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'"
    statements = [
        f"ALTER TABLE documents ADD COLUMN published TEXT CHECK (published IS NULL OR published GLOB {date_glob})",
        f"ALTER TABLE documents ADD COLUMN published_src TEXT CHECK (published_src IN {sources})",
    ]
    for field in ("outlet", "url", "author"):
        statements += [
            f"ALTER TABLE documents ADD COLUMN {field} TEXT CHECK ({field} IS NULL OR length({field}) > 0)",
            f"ALTER TABLE documents ADD COLUMN {field}_src TEXT CHECK ({field}_src IN {sources})",
        ]
    for statement in statements:
        db.execute(statement)
    run_script(
        db,
        """
        CREATE INDEX documents_published ON documents(published, outlet, status);
        CREATE INDEX documents_outlet ON documents(outlet, published, status);
        CREATE INDEX documents_author ON documents(author);
        CREATE INDEX documents_url ON documents(url);
        CREATE INDEX documents_facets ON documents(id, status, published, outlet);
        CREATE INDEX spans_doc_label ON spans(doc_id, label);
        CREATE INDEX stances_holder ON stances(holder_text, target, value, doc_id);

        CREATE TABLE documents_accepted (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            ts TEXT NOT NULL
        );
        CREATE INDEX documents_accepted_ts ON documents_accepted(ts);
        CREATE TRIGGER documents_accepted_insert AFTER INSERT ON documents WHEN NEW.status = 'accepted' BEGIN
            INSERT OR REPLACE INTO documents_accepted (doc_id, ts) VALUES (NEW.id, NEW.created_at);
        END;
        CREATE TRIGGER documents_accepted_on AFTER UPDATE OF status ON documents
            WHEN NEW.status = 'accepted' AND OLD.status != 'accepted' BEGIN
            INSERT OR REPLACE INTO documents_accepted (doc_id, ts) VALUES (NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
        END;
        CREATE TRIGGER documents_accepted_off AFTER UPDATE OF status ON documents
            WHEN OLD.status = 'accepted' AND NEW.status != 'accepted' BEGIN
            DELETE FROM documents_accepted WHERE doc_id = OLD.id;
        END;

        INSERT INTO documents_accepted (doc_id, ts)
        SELECT d.id, coalesce((
            SELECT max(h.ts) FROM history h, json_each(h.ops) j
            WHERE h.doc_id = d.id AND json_valid(h.ops) AND j.type = 'object'
              AND j.value ->> '$.table' = 'documents' AND j.value ->> '$.after.status' = 'accepted'
        ), d.created_at)
        FROM documents d WHERE d.status = 'accepted';
        """,
    )
    after, page = 0, 500
    names = doc_metadata.COLUMNS
    update = f"UPDATE documents SET {', '.join(f'{c} = ?' for c in names)} WHERE id = ?"
    while True:
        rows = db.execute("SELECT id, meta, text FROM documents WHERE id > ? ORDER BY id LIMIT ?", [after, page]).fetchall()
        if not rows:
            break
        after = rows[-1][0]
        for doc_id, meta, text in rows:
            try:
                meta = json.loads(meta or "{}")
            except ValueError:
                meta = {}
            found = doc_metadata.find(meta, text)
            if found:
                cols = doc_metadata.columns(found)
                db.execute(update, [cols[c] for c in names] + [doc_id])


# the default colours before the generated palette (annotator.core.palette), for 0013
_OLD_DEFAULT_COLOURS = {
    "PERSON": "#f4a3a3", "ORG": "#9ec5f8", "GPE": "#a8e0a0", "NORP": "#f7d08a", "LOC": "#c7e8d0", "DATE": "#d9c2f0",
    "EVENT": "#f5b8e0", "FAC": "#e0d6b0", "LAW": "#b8e6e6", "MONEY": "#e6e39c", "CARDINAL": "#dddddd",
    "ORDINAL": "#e3e3e3", "PERCENT": "#d6e4c4", "PRODUCT": "#f0c8a8", "QUANTITY": "#cfd8e8", "TIME": "#e8cfe0",
    "WORK_OF_ART": "#f2e2c4", "LANGUAGE": "#c4e0f2",
}


@migrations(name="0010_actors")
def m0010_actors(db):
    """Actors (who a mention is), and entity texts counted for the consistency view.

    - actors: a registry of people, organisations, countries and others, with aliases (a JSON
      list) and an optional external id (a Wikidata QID the analyst types).
    - spans.actor_id links an entity to its actor. A column rather than a link table: an
      entity has at most one actor, and the link then travels inside the span's row in every
      Change, so deleting an entity and undoing that brings its link back. No ON DELETE
      action: an actor still linked cannot be deleted (plans unlink first, so undo is exact).
    - stances.holder_actor_id: the stance holder as an actor (copied from the holder entity's
      link, or set on a free-text holder).
    - spans.surface: the entity's text, kept by triggers, and entity_forms: entities and
      documents per (text, label), kept by triggers. Grouping 9 million entities of a
      100k-article corpus took 2-4 s even over a covering index (substr() over the articles
      far longer); reading entity_forms takes milliseconds. A span inserted without its surface
      gets it from the article (an edit); an import passes it in, which halves what the triggers
      cost per entity. Undo and redo keep both right through the same triggers.
    """
    run_script(
        db,
        """
        CREATE TABLE actors (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            kind TEXT NOT NULL DEFAULT 'other' CHECK (kind IN ('person', 'organisation', 'country', 'other')),
            aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases) AND json_type(aliases) = 'array'),
            external_id TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT ''
        );
        ALTER TABLE spans ADD COLUMN actor_id INTEGER REFERENCES actors(id);
        ALTER TABLE spans ADD COLUMN surface TEXT;
        ALTER TABLE stances ADD COLUMN holder_actor_id INTEGER REFERENCES actors(id);
        UPDATE spans SET surface = (SELECT substr(d.text, spans.start + 1, spans.end - spans.start) FROM documents d WHERE d.id = spans.doc_id);
        CREATE INDEX spans_surface ON spans(surface, label, doc_id);
        CREATE INDEX spans_actor ON spans(actor_id) WHERE actor_id IS NOT NULL;
        CREATE INDEX stances_holder_actor ON stances(holder_actor_id) WHERE holder_actor_id IS NOT NULL;

        CREATE TABLE entity_forms (
            surface TEXT NOT NULL,
            label TEXT NOT NULL,
            spans INTEGER NOT NULL,
            docs INTEGER NOT NULL,
            PRIMARY KEY (surface, label)
        ) WITHOUT ROWID;
        INSERT INTO entity_forms (surface, label, spans, docs)
            SELECT surface, label, count(*), count(DISTINCT doc_id) FROM spans WHERE surface IS NOT NULL GROUP BY surface, label;

        CREATE TRIGGER spans_surface_insert AFTER INSERT ON spans WHEN NEW.surface IS NULL BEGIN
            UPDATE spans SET surface = (SELECT substr(text, NEW.start + 1, NEW.end - NEW.start) FROM documents WHERE id = NEW.doc_id)
            WHERE id = NEW.id;
        END;
        CREATE TRIGGER entity_forms_insert AFTER INSERT ON spans WHEN NEW.surface IS NOT NULL BEGIN
            INSERT INTO entity_forms (surface, label, spans, docs)
                SELECT NEW.surface, NEW.label, 1,
                    NOT EXISTS (SELECT 1 FROM spans o WHERE o.surface = NEW.surface AND o.label = NEW.label AND o.doc_id = NEW.doc_id AND o.id != NEW.id)
                WHERE true
                ON CONFLICT (surface, label) DO UPDATE SET spans = spans + 1, docs = docs + excluded.docs;
        END;
        CREATE TRIGGER spans_surface_update AFTER UPDATE OF doc_id, start, end ON spans BEGIN
            UPDATE spans SET surface = (SELECT substr(text, NEW.start + 1, NEW.end - NEW.start) FROM documents WHERE id = NEW.doc_id)
            WHERE id = NEW.id;
        END;
        CREATE TRIGGER documents_surface_update AFTER UPDATE OF text ON documents BEGIN
            UPDATE spans SET surface = substr(NEW.text, start + 1, end - start) WHERE doc_id = NEW.id;
        END;

        CREATE TRIGGER entity_forms_delete AFTER DELETE ON spans WHEN OLD.surface IS NOT NULL BEGIN
            UPDATE entity_forms SET spans = spans - 1,
                docs = docs - NOT EXISTS (SELECT 1 FROM spans o WHERE o.surface = OLD.surface AND o.label = OLD.label AND o.doc_id = OLD.doc_id)
                WHERE surface = OLD.surface AND label = OLD.label;
            DELETE FROM entity_forms WHERE surface = OLD.surface AND label = OLD.label AND spans <= 0;
        END;
        CREATE TRIGGER entity_forms_update AFTER UPDATE OF surface, label, doc_id ON spans
            WHEN OLD.surface IS NOT NEW.surface OR OLD.label IS NOT NEW.label OR OLD.doc_id IS NOT NEW.doc_id BEGIN
            UPDATE entity_forms SET spans = spans - 1,
                docs = docs - NOT EXISTS (SELECT 1 FROM spans o WHERE o.surface = OLD.surface AND o.label = OLD.label AND o.doc_id = OLD.doc_id)
                WHERE surface = OLD.surface AND label = OLD.label;
            DELETE FROM entity_forms WHERE surface = OLD.surface AND label = OLD.label AND spans <= 0;
            INSERT INTO entity_forms (surface, label, spans, docs)
                SELECT NEW.surface, NEW.label, 1,
                    NOT EXISTS (SELECT 1 FROM spans o WHERE o.surface = NEW.surface AND o.label = NEW.label AND o.doc_id = NEW.doc_id AND o.id != NEW.id)
                WHERE NEW.surface IS NOT NULL
                ON CONFLICT (surface, label) DO UPDATE SET spans = spans + 1, docs = docs + excluded.docs;
        END;
        """,
    )


# the default colours before the generated palette (annotator.core.palette), for 0013
_OLD_DEFAULT_COLOURS = {
    "PERSON": "#f4a3a3", "ORG": "#9ec5f8", "GPE": "#a8e0a0", "NORP": "#f7d08a", "LOC": "#c7e8d0", "DATE": "#d9c2f0",
    "EVENT": "#f5b8e0", "FAC": "#e0d6b0", "LAW": "#b8e6e6", "MONEY": "#e6e39c", "CARDINAL": "#dddddd",
    "ORDINAL": "#e3e3e3", "PERCENT": "#d6e4c4", "PRODUCT": "#f0c8a8", "QUANTITY": "#cfd8e8", "TIME": "#e8cfe0",
    "WORK_OF_ART": "#f2e2c4", "LANGUAGE": "#c4e0f2",
}


@migrations(name="0013_default_palette")
def m0013_default_palette(db):
    """Default labels still in their old default colour (GPE, LOC and PERCENT were all green) take the
    generated palette's; a colour the user chose is left alone."""
    for label in DEFAULT_LABELS:
        db.execute("UPDATE labels SET color = ? WHERE name = ? AND lower(color) = ?",
                   [label.color, label.name, _OLD_DEFAULT_COLOURS[label.name]])

@migrations(name="0005_formats")
def m0005_formats(db):
    """What other tools' files carry beyond entities, kept so that nothing is lost on the way in.

    rejected_spans: "this span is NOT that label" (a Prodigy binary reject); never an entity.
    relations: labelled links between two spans of a document (Prodigy, doccano, Label Studio),
    by character offsets, so they survive an entity being deleted and re-added.
    document_formats: a document's own tokenization from its file (CoNLL, DocBin) as JSON
    [[start, end], ...] for an exact round trip, and the source tool's keys (ids, hashes),
    kept apart from the user's meta. Separate tables: the documents row is never rewritten.
    """
    run_script(
        db,
        """
        CREATE TABLE rejected_spans (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            label TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT '',
            CHECK (start >= 0 AND start < end),
            UNIQUE (doc_id, start, end, label)
        );
        CREATE TABLE relations (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            head_start INTEGER NOT NULL,
            head_end INTEGER NOT NULL,
            head_label TEXT NOT NULL DEFAULT '',
            child_start INTEGER NOT NULL,
            child_end INTEGER NOT NULL,
            child_label TEXT NOT NULL DEFAULT '',
            label TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX relations_doc ON relations(doc_id);
        CREATE TABLE document_formats (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            tokens TEXT,
            tool TEXT NOT NULL DEFAULT '{}'
        );
        """,
    )


@migrations(name="0008_models")
def m0008_models(db):
    """Models trained on the corpus, and how unsure the current model is about each unfinished document.

    A model's files live in <db>.models/<id>; the row keeps what it was trained on (count and a
    hash of the set of document hashes) and its dev scores beside the base model's on the same
    documents, as JSON ({"overall": {"p", "r", "f"}, "labels": {label: {...}}}). The corpus's
    current model (the one new imports pre-annotate with) is meta["current_model"].
    doc_unsure is derived data (recomputed by a re-annotation), not an annotation: no history.
    """
    run_script(
        db,
        """
        CREATE TABLE models (
            id TEXT PRIMARY KEY,
            origin TEXT NOT NULL,
            base TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            path TEXT NOT NULL,
            documents INTEGER NOT NULL,
            documents_hash TEXT NOT NULL,
            dev_documents INTEGER NOT NULL DEFAULT 0,
            steps INTEGER NOT NULL DEFAULT 0,
            seed INTEGER NOT NULL DEFAULT 0,
            seconds REAL NOT NULL DEFAULT 0,
            cancelled INTEGER NOT NULL DEFAULT 0,
            scores TEXT NOT NULL DEFAULT '{}',
            base_scores TEXT NOT NULL DEFAULT '{}',
            other_scores TEXT NOT NULL DEFAULT '{}',
            curve TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE doc_unsure (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            model_id TEXT NOT NULL,
            score REAL NOT NULL,
            disagreements INTEGER NOT NULL
        );
        CREATE INDEX doc_unsure_score ON doc_unsure(score DESC, doc_id);
        """,
    )


@migrations(name="0006_reliability")
def m0006_reliability(db):
    """A corpus id, and overlapping entities refused by the database itself.

    - meta 'corpus_id': random, made once; backups and copies carry it, so `restore --backup`
      can refuse a file that is not a backup of this corpus, and a -wal whose pages change it is
      recognised as another database's (storage.integrity.foreign_wal).
    - Triggers refuse an entity that overlaps another of its document, on insert and on a move:
      the session checks first with a friendlier message; this holds for any writer (imports,
      scripts, a future bug). Rows already overlapping in an old corpus are left as they are.
    """
    run_script(
        db,
        """
        INSERT OR IGNORE INTO meta (key, value) VALUES ('corpus_id', lower(hex(randomblob(16))));
        CREATE TRIGGER spans_no_overlap_insert BEFORE INSERT ON spans
        WHEN EXISTS (SELECT 1 FROM spans WHERE doc_id = NEW.doc_id AND start < NEW.end AND end > NEW.start)
        BEGIN SELECT RAISE(ABORT, 'entities would overlap'); END;
        CREATE TRIGGER spans_no_overlap_update BEFORE UPDATE OF doc_id, start, end ON spans
        WHEN EXISTS (SELECT 1 FROM spans WHERE doc_id = NEW.doc_id AND id != NEW.id AND start < NEW.end AND end > NEW.start)
        BEGIN SELECT RAISE(ABORT, 'entities would overlap'); END;
        """,
    )


SCHEMA_VERSION = len(migrations._migrations)
KNOWN_MIGRATIONS = frozenset(m.name for m in migrations._migrations)
