"""Power loss (issue 11, item 7): every write not yet synced is lost at a random moment; every
acknowledged edit survives. The harness must catch a build that does not sync (synchronous=OFF)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("apsw")
ROOT = Path(__file__).resolve().parents[1]


def power_cut(*args):
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "power_cut.py"), *args, "--json"],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert out.stdout.strip(), out.stderr
    print(out.stdout)
    return out.returncode, json.loads(out.stdout.strip().splitlines()[-1])


def test_no_acknowledged_edit_is_lost_when_the_power_goes():
    rc, fig = power_cut("--cuts", "25", "--seed", "4")
    assert rc == 0 and fig["cuts"] == 25 and fig["synchronous"] == "FULL"
    assert fig["lost"] == 0 and fig["half_applied"] == 0 and fig["integrity_failures"] == 0 and fig["open_refused"] == 0
    assert fig["edits_verified"] == fig["edits_acknowledged"] >= 100


def test_the_harness_catches_a_build_that_does_not_sync():
    rc, fig = power_cut("--cuts", "8", "--seed", "4", "--mutant", "sync-off")
    assert rc == 1 and fig["synchronous"] == "OFF"
    assert fig["lost"] > 0 and fig["cuts_losing_edits"] > 0
