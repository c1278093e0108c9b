"""Messages float over the article: the text being read never jumps when one comes or goes."""

from PySide6.QtCore import QPoint, Qt


def test_a_refusal_message_floats_over_the_article_without_moving_it(ui, qtbot):
    w = ui.window
    article_top = w.article.mapTo(w, QPoint(0, 0))
    ui.key(Qt.Key_Tab)
    span = w.article.current_id
    # grow the current entity into its neighbour: the message names the entity it replaced
    for _ in range(12):
        ui.key(Qt.Key_Right, Qt.AltModifier)
        if w.notice.isVisible():
            break
    assert "replacing" in w.notice.label.text()
    assert w.article.current_id == span
    # the article kept its place; the message lies over it, inside it
    assert w.article.mapTo(w, QPoint(0, 0)) == article_top
    assert w.notice.parentWidget() is w.article
    assert w.article.viewport().geometry().contains(w.notice.geometry()), (w.notice.geometry(), w.article.rect())
    # and follows the article's size
    w.resize(w.width() - 200, w.height() - 100)
    qtbot.waitUntil(lambda: w.article.viewport().geometry().contains(w.notice.geometry()))
    assert w.notice.geometry().bottom() > w.article.height() - 40
    resized_top = w.article.mapTo(w, QPoint(0, 0))
    w.notice.hide()
    qtbot.wait(10)
    assert w.article.mapTo(w, QPoint(0, 0)) == resized_top
