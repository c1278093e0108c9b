"""The app around the editing: first run, start-up, settings, databases, errors, the cheat sheet."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from annotator.session import Corpus
from annotator.session.imports import seeds_dir

ROOT = Path(__file__).resolve().parents[2]


def test_first_run_imports_the_seeds_in_a_worker_with_a_progress_dialog(tmp_path, open_window, qtbot, drive):
    w = open_window(tmp_path / "fresh.db")
    assert w.document is None and w.docs.model.rowCount() == 0
    with qtbot.waitSignal(w.import_finished, timeout=120_000) as finished:
        worker = w.first_run()
        assert worker is not None and w.import_dialog.isVisible()
        assert w.import_dialog.labelText().startswith("Loading the spaCy model")
    report = finished.args[0]
    assert report is not None and len(report.added) == len(list(seeds_dir().glob("*.txt")))
    worker.wait(5000)
    assert not w.import_dialog.isVisible()
    assert w.docs.model.rowCount() == 5 and w.docs.progress.text() == "0 / 5 accepted"
    assert w.document is not None and w.article.toPlainText() == w.document.text
    ui = drive(w)
    assert ui.db_spans() and ui.shown() == ui.expected_shown()
    assert all(r[2] == "model" for r in w.entities.rows())
    assert "Imported 5 articles" in w.notice.label.text()
    assert w.first_run() is None  # not empty any more: nothing to do


def test_cold_start_shows_the_first_article_without_loading_spacy(seeded_db, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_STARTUP_PROBE="1",
               HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    cli = Path(sys.executable).with_name("annotator")
    out = subprocess.run([str(cli), "run", "--db", str(seeded_db)], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    line = [x for x in out.stdout.splitlines() if x.startswith("first-article-visible")]
    assert line and line[0].endswith("spacy-imported=False"), out.stdout
    assert (tmp_path / "config" / "annotator" / "annotator.conf").exists()  # settings went where HOME says, not elsewhere


def test_geometry_splitter_recent_and_last_document_persist(seeded_db, open_window, qtbot):
    w = open_window(seeded_db)
    w.resize(760, 560)  # within the offscreen screen, so restoring does not clamp it
    w.splitter.setSizes([200, 300, 240])
    sizes, size = w.splitter.sizes(), (w.width(), w.height())
    qtbot.keyClick(w.article, Qt.Key_PageDown, Qt.ControlModifier)
    qtbot.keyClick(w.article, Qt.Key_PageDown, Qt.ControlModifier)
    assert w.doc_id == 3
    w.close()
    from annotator.ui.main_window import MainWindow

    again = MainWindow(seeded_db)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.doc_id == 3
    assert (again.width(), again.height()) == size
    assert again.splitter.sizes() == sizes
    assert again.recent_databases()[0] == str(seeded_db.resolve())


def test_open_another_database_and_refuse_a_broken_one(seeded_db, tmp_path, open_window, qtbot):
    w = open_window(seeded_db)
    qtbot.keyClick(w.article, Qt.Key_Tab)
    qtbot.keyClick(w.article, Qt.Key_Delete)
    assert w.edits.count() == 1
    other = tmp_path / "other.db"
    shutil.copyfile(seeded_db, other)
    with Corpus(other) as c:
        c.apply(c.plan_set_status(1, "accepted"))
    assert w.open_database(other)
    # the other corpus's own history comes with it: its last edit can be undone, the first corpus's cannot
    assert w.db_path == other.resolve() and w.edits.count() == 1
    assert w.session.history.undo_text() == "mark accepted"
    assert w.docs.progress.text() == "1 / 5 accepted"
    assert w.windowTitle().startswith("other.db")
    assert w.recent_databases()[:2] == [str(other.resolve()), str(seeded_db.resolve())]
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    assert not w.open_database(junk)
    assert w.db_path == other.resolve() and "Cannot open junk.db" in w.notice.label.text()
    assert any(b.isVisible() for b in w._message_boxes)
    # the window still works on the database it had
    qtbot.keyClick(w.article, Qt.Key_Tab)
    qtbot.keyClick(w.article, Qt.Key_O)
    assert w.statusBar().currentMessage().startswith("saved")


def test_f1_shows_every_key_including_the_label_keys(window, qtbot):
    qtbot.keyClick(window.article, Qt.Key_F1)
    sheet = window.cheat_sheet
    qtbot.waitExposed(sheet)
    text = sheet.all_text()
    for expected in ("Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y", "Alt+Right", "Alt+,", "Tab", "Shift+Tab", "Del",
                     "Ctrl+Shift+A", "Ctrl+G", "Ctrl+PgDown", "Ctrl+F", "F1", "PERSON", "Shift+P", "Ctrl+L"):
        assert expected in text, expected


def test_file_menu_offers_export_and_restore_when_their_dialogs_exist(window):
    import importlib.util

    names = [a.text() for a in window.menuBar().actions()]
    assert names == ["&File", "&Edit", "&Label", "&View", "&Model", "&Help"]  # a feature's menu goes before Help
    for action, module in ((window.act_export, "export_dialog"), (window.act_restore, "restore_dialog")):
        assert action.isEnabled() == (importlib.util.find_spec(f"annotator.ui.{module}") is not None)


def test_unexpected_errors_are_logged_and_shown_with_details(tmp_path, qtbot):
    from annotator.ui.errors import ErrorReporter, setup_logging

    root = logging.getLogger("annotator")
    kept = list(root.handlers)
    try:
        log_path = setup_logging(tmp_path / "logs")
        reporter = ErrorReporter(log_path)
        try:
            raise ZeroDivisionError("a bug in a slot")
        except ZeroDivisionError:
            reporter.excepthook(*sys.exc_info())
        dialog = reporter.dialogs[-1]
        qtbot.addWidget(dialog)
        assert dialog.isVisible()
        assert "ZeroDivisionError: a bug in a slot" in dialog.details.toPlainText()
        assert "Traceback" in dialog.details.toPlainText()
        for h in root.handlers:
            h.flush()
        assert "a bug in a slot" in log_path.read_text()
    finally:
        for h in root.handlers[:]:
            if h not in kept:
                root.removeHandler(h)
                h.close()


def test_a_window_saved_on_a_larger_screen_is_clamped_to_this_one(seeded_db, open_window, qtbot, monkeypatch):
    """A size saved at another scale (200 %) or on a bigger screen: the restored window fits the available geometry,
    even when the article's text is so large that its minimum width alone would be wider than the screen."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication

    from annotator.ui.main_window import MainWindow

    w = open_window(seeded_db)
    w.setGeometry(900, 700, 3000, 1900)  # saved on a 4K screen, or at 200 %
    for _ in range(8):
        qtbot.keyClick(w.article, Qt.Key_Equal, Qt.ControlModifier)  # Larger text, as at 200 %
    w.close()
    available = QRect(0, 0, 800, 560)

    class Screen:
        @staticmethod
        def availableGeometry():
            return available

    monkeypatch.setattr(QApplication, "platformName", staticmethod(lambda: "xcb"))
    monkeypatch.setattr(MainWindow, "screen", lambda self: Screen())
    again = MainWindow(seeded_db)  # restores the saved geometry and fits it
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    qtbot.wait(50)  # the fit after the first show, when the frame is known
    assert again.minimumSizeHint().width() <= available.width()  # the article gave way: the window can fit
    assert available.contains(again.frameGeometry()), (again.frameGeometry(), available)
