"""Kill -9 at random moments loses nothing: the harness (benchmarks/kill_harness.py) at suite-sized counts.

The full count (1,000 kills) is `make reliability`; its figures are in README.md, section "Reliability".
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def harness(*args: str, timeout: int = 300) -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "kill_harness.py"), *args, "--json"],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT,
    )
    assert result.stdout.strip(), result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    return figures


@pytest.mark.slow
def test_edits_acknowledged_before_a_kill_are_all_there_and_none_is_half_applied():
    fig = harness("--kills", "50", "--import-kills", "0", "--export-kills", "0", "--seed", "7")
    assert fig["kills"] == 50
    assert fig["lost"] == 0 and fig["half_applied"] == 0 and fig["integrity_failures"] == 0
    # how many edits fit before the kills depends on the machine's load (200+ idle, ~50 with 9 suites on 2 cores)
    assert fig["edits_verified"] == fig["edits_acknowledged"] >= 20
    # kills landed between a commit and its acknowledgement too (that change must be there whole)
    assert fig["in_flight_committed"] > 0 and fig["kills_before_ready"] < 50
    assert fig["backups_verified"] > 0 and fig["bad_backups"] == 0


@pytest.mark.slow
def test_an_import_killed_again_and_again_then_rerun_is_complete_without_duplicates():
    fig = harness("--kills", "0", "--import-kills", "3", "--export-kills", "0", "--seed", "3")
    assert fig["import_kills"] == 3 and fig["import_kills_midway"] >= 1
    assert fig["import_bad_states"] == 0
    assert fig["import_rerun_ok"] and fig["import_documents_after_rerun"] == fig["import_documents_expected"]


@pytest.mark.slow
def test_an_export_killed_midway_leaves_no_partial_output_folder():
    fig = harness("--kills", "0", "--import-kills", "0", "--export-kills", "2", "--seed", "5")
    assert fig["export_kills"] == 2 and fig["export_kills_midway"] >= 1
    assert fig["export_partial_outputs"] == 0


def test_the_import_check_catches_a_wrong_title_meta_or_status(tmp_path):
    """The harness's import check looks at each document's title, meta and status, not only its text and entities."""
    import sqlite3

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from kill_harness import check_import_state, make_import_files

    expected = make_import_files(tmp_path / "src", n_txt=3, n_jsonl=1, per_jsonl=6)
    db = tmp_path / "c.db"
    out = subprocess.run([sys.executable, "-m", "annotator", "import", str(tmp_path / "src"), "--model", "none", "--db", str(db)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert check_import_state(db, expected) == (True, len(expected), "")
    for sql in ("UPDATE documents SET title = 'x' WHERE id = 1", "UPDATE documents SET meta = '{}' WHERE id = 5",
                "UPDATE documents SET status = 'new' WHERE id = 6"):
        copy = tmp_path / "copy.db"
        copy.write_bytes(db.read_bytes())
        conn = sqlite3.connect(copy)
        conn.execute(sql)
        conn.commit()
        conn.close()
        ok, _, why = check_import_state(copy, expected)
        assert not ok and "title/meta/status" in why, sql
