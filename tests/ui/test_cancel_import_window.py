"""Cancel in the window's import progress keeps what was imported and says so."""

import json


def test_cancelling_an_import_in_the_window_keeps_what_was_imported(open_window, qtbot, tmp_path):
    data = tmp_path / "many.jsonl"
    data.write_text("".join(json.dumps({"text": f"Article {i} about Kyiv and Moscow."}) + "\n" for i in range(20_000)),
                    encoding="utf-8")
    w = open_window(tmp_path / "c.db")
    reports = []
    w.import_finished.connect(reports.append)
    worker = w.start_import([data], model="none")
    worker.progress.connect(lambda n: worker.cancel() if n >= 500 else None)
    qtbot.waitUntil(lambda: bool(reports), timeout=60_000)
    report = reports[0]
    assert report is not None and report.interrupted
    assert 500 <= len(report.added) < 20_000
    assert w.corpus.count_documents() == len(report.added)
    assert w.notice.label.text().startswith(f"Import cancelled: the {len(report.added)} articles annotated so far are kept")
    assert w.document is not None  # the first article is open
