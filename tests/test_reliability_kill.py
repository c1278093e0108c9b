"""Kill -9 at random moments loses nothing: the harness (benchmarks/kill_harness.py) at suite-sized counts.

The full count (1,000 kills) is `make reliability`; its figures are in docs/RELIABILITY.md.
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
    assert fig["edits_verified"] == fig["edits_acknowledged"] >= 200
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
