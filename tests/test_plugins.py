"""A separate distribution adds a reader, a writer and a pre-annotator through entry points only.

tests/plugin_dist is a real package; it is pip-installed (into a folder put on the path, so the
rest of the suite does not see it) and then used the way a user would: from the CLI as a
subprocess (import with its reader, export with its writer, import with its pre-annotator) and
in the export dialog (its format is in the list and exports).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.io.formats import READERS, WRITERS
from annotator.nlp.preannotators import PREANNOTATORS
from annotator.session.export import extension_registry

EXPORT_EXTENSIONS = extension_registry()

PLUGIN = Path(__file__).parent / "plugin_dist"
REGISTRIES = (READERS, WRITERS, PREANNOTATORS, EXPORT_EXTENSIONS)
DATA = "Kyiv hosts talks.|||0:4:GPE\nNothing here at all.|||\nMoscow and Paris reply.|||0:6:GPE,11:16:GPE\n"


@pytest.fixture(scope="session")
def plugin_site(tmp_path_factory) -> Path:
    """`pip install` of the plugin distribution into a folder of its own."""
    work = tmp_path_factory.mktemp("plugin")
    shutil.copytree(PLUGIN, work / "src")  # setuptools writes build/ and egg-info beside the source
    site = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--target", str(site), str(work / "src")],
        check=True, capture_output=True, timeout=300,
    )
    assert (site / "annotator_testplugin-0.1.0.dist-info" / "entry_points.txt").exists()
    return site


@pytest.fixture
def installed(plugin_site, monkeypatch):
    """The plugin on sys.path of this process, the registries made to look again, and cleaned after."""
    monkeypatch.syspath_prepend(str(plugin_site))
    before = {id(r): dict(r._items) for r in REGISTRIES}
    for r in REGISTRIES:
        r._loaded = False
    yield plugin_site
    for r in REGISTRIES:
        r._items.clear()
        r._items.update(before[id(r)])
        r._loaded = False
        r.problems.clear()
    sys.modules.pop("annotator_testplugin", None)


def cli(*args, cwd, site: Path | None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1")
    if site:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "annotator", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180)


def test_the_plugin_works_from_the_command_line(plugin_site, tmp_path):
    (tmp_path / "gold.pipes").write_text(DATA, encoding="utf-8")
    (tmp_path / "plain.txt").write_text("Rubio met Lavrov in Geneva.\n", encoding="utf-8")

    # without the plugin: its format is neither a choice nor a known suffix
    proc = cli("import", "gold.pipes", "--db", "a.db", "--model", "none", cwd=tmp_path, site=None)
    assert proc.returncode == 1 and "unsupported file type .pipes" in proc.stderr
    proc = cli("export", "--db", "a.db", "--format", "pipes", cwd=tmp_path, site=None)
    assert proc.returncode == 2 and "'pipes' is not one of" in proc.stderr

    proc = cli("formats", cwd=tmp_path, site=plugin_site)
    assert "pipes" in proc.stdout and "capitals" in proc.stdout and "Capitalised words" in proc.stdout

    proc = cli("import", "--help", cwd=tmp_path, site=plugin_site)
    assert "pipes" in proc.stdout and "capitals" in proc.stdout

    proc = cli("import", "gold.pipes", "--db", "b.db", "--model", "none", cwd=tmp_path, site=plugin_site)
    assert proc.returncode == 0, proc.stderr
    assert "imported 3 documents" in proc.stdout

    proc = cli("export", "--db", "b.db", "--format", "pipes", "--out", "out", "--dev", "0", cwd=tmp_path, site=plugin_site)
    assert proc.returncode == 0, proc.stderr
    written = (tmp_path / "out" / "train.pipes").read_text(encoding="utf-8").splitlines()
    assert sorted(written) == sorted(DATA.splitlines())
    assert "Format: one record a line: text|||start:end:LABEL" in (tmp_path / "out" / "README.txt").read_text()

    proc = cli("import", "plain.txt", "--db", "b.db", "--preannotator", "capitals", "--model", "PERSON", cwd=tmp_path, site=plugin_site)
    assert proc.returncode == 0, proc.stderr
    assert "3 entities from capitals-PERSON-0.1" in proc.stdout

    from annotator.session.corpus import Corpus

    with Corpus(tmp_path / "b.db", read_only=True) as corpus:
        doc = corpus.document_rows(search="Rubio")[0]
        spans = corpus.spans(doc.id)
    assert [(s.label, s.origin) for s in spans] == [("PERSON", "capitals-PERSON-0.1")] * 3
    assert [corpus_text[s.start:s.end] for s in spans for corpus_text in ["Rubio met Lavrov in Geneva.\n"]] == ["Rubio", "Lavrov", "Geneva"]


def test_the_plugin_format_is_in_the_export_dialog_and_exports(installed, qtbot, tmp_path):
    from annotator.session.corpus import Corpus
    from annotator.session.imports import import_paths
    from annotator.ui.export_dialog import ExportDialog

    (tmp_path / "gold.pipes").write_text(DATA, encoding="utf-8")
    with Corpus(tmp_path / "gold.db") as corpus:
        report = import_paths(corpus, [tmp_path / "gold.pipes"], model="none")
    assert len(report.added) == 3 and not report.rejected

    dialog = ExportDialog(tmp_path / "gold.db")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    names = [dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())]
    assert "pipes" in names and "spacy" in names
    dialog.format_combo.setFocus()
    while dialog.format_combo.currentData() != "pipes":
        qtbot.keyClick(dialog.format_combo, Qt.Key_Down)
    assert dialog.format_combo.currentText().startswith("pipes: one record a line: text|||")
    assert not dialog.include_check.isEnabled()  # the plugin says it cannot mark tokens as missing
    dialog.folder_edit.setText(str(tmp_path / "out"))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.error is None, dialog.error
    lines = (tmp_path / "out" / "train.pipes").read_text(encoding="utf-8").splitlines()
    lines += (tmp_path / "out" / "dev.pipes").read_text(encoding="utf-8").splitlines()
    assert sorted(lines) == sorted(DATA.splitlines())
    assert "exported pipes" in dialog.status_label.text()
