"""Messages sit under the article: never over the text being read, never cut off, never stale."""

from PySide6.QtCore import QPoint, Qt


def test_a_refusal_message_appears_under_the_article_without_moving_or_covering_the_text(ui, qtbot):
    w = ui.window
    article_top = w.article.mapTo(w, QPoint(0, 0))
    width = w.article.viewport().width()
    ui.key(Qt.Key_Tab)
    span = w.article.current_id
    # grow the current entity into its neighbour until refused
    for _ in range(12):
        ui.key(Qt.Key_Right, Qt.AltModifier)
        if w.notice.isVisible():
            break
    assert "overlap" in w.notice.label.text()
    assert w.article.current_id == span
    # the article kept its top and its width (no line re-wraps); the message is below it, not over it
    assert w.article.mapTo(w, QPoint(0, 0)) == article_top and w.article.viewport().width() == width
    notice_top = w.notice.mapTo(w, QPoint(0, 0)).y()
    assert notice_top >= w.article.mapTo(w, QPoint(0, w.article.height())).y()
    assert w.notice.parentWidget() is not w.article
    w.notice.hide()
    qtbot.wait(10)
    assert w.article.mapTo(w, QPoint(0, 0)) == article_top


def test_a_long_message_wraps_whole_and_goes_stale_with_its_article(ui, qtbot):
    w = ui.window
    w.resize(1024, 640)
    long = "could not save: " + "a very long explanation of what went wrong, " * 8 + "end."
    w.notify(long, error=True)
    qtbot.waitUntil(w.notice.isVisible)
    label = w.notice.label
    assert label.text() == long and label.textFormat() == Qt.PlainText and label.wordWrap()
    assert label.height() >= label.heightForWidth(label.width())  # every line of it is shown
    assert w.notice.geometry().bottom() <= w.centre.height()
    qtbot.keyClick(w, Qt.Key_PageDown, Qt.ControlModifier)  # another article: the message is not about it
    assert not w.notice.isVisible()
