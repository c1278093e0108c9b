"""File ▸ Restore backup…, and the offer to restore when a database will not open.

RestoreDialog lists the rolling backups (time, documents, accepted) and, after a confirmation,
puts the chosen one back. A sound database is rewritten in one SQLite transaction, so the
window's open corpus stays valid; the replaced content is always kept in the backups folder.
The dialog is accepted after a restore: the window reopens the database then.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.storage import DatabaseError
from annotator.storage.backup import BackupError, BackupInfo, backup_dir, latest_good, list_backups, restore

COLUMNS = ("Time", "Documents", "Accepted", "Kind", "File")


def _item(text: str, align=Qt.AlignLeft | Qt.AlignVCenter) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemIsSelectable | Qt.ItemIsEnabled)
    item.setTextAlignment(align)
    return item


def _run_restore(db_path: Path, backup: Path | None) -> tuple[Path, Path | None]:
    QApplication.setOverrideCursor(Qt.WaitCursor)
    try:
        return restore(db_path, backup)
    finally:
        QApplication.restoreOverrideCursor()


class RestoreDialog(QDialog):
    def __init__(self, db_path: Path, parent=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.backups: list[BackupInfo] = []
        self.kept: Path | None = None  # where the replaced database was kept, after a restore
        self.confirm: QMessageBox | None = None
        self.setWindowTitle("Restore backup")
        self.setObjectName("restore_dialog")

        intro = QLabel(
            f"Backups of {self.db_path.name} in {backup_dir(self.db_path)}, newest first. Restoring replaces the "
            "database by the chosen backup; the current database is kept in the same folder first."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.PlainText)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("backups")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.ask())
        self.status = QLabel("")
        self.status.setObjectName("restore_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.PlainText)

        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setObjectName("restore_button")
        buttons.addButton(self.restore_button, QDialogButtonBox.ActionRole)
        self.restore_button.clicked.connect(self.ask)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.Close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(720, 360)
        self.reload()

    def reload(self) -> None:
        self.backups = list_backups(self.db_path)
        self.table.setRowCount(len(self.backups))
        right = Qt.AlignRight | Qt.AlignVCenter
        for row, info in enumerate(self.backups):
            readable = info.documents is not None
            cells = (
                _item(f"{info.time:%Y-%m-%d %H:%M:%S}"),
                _item(str(info.documents) if readable else "unreadable", right),
                _item(str(info.accepted) if readable else "", right),
                _item("replaced by a restore" if info.before_restore else "automatic"),
                _item(info.path.name),
            )
            for col, cell in enumerate(cells):
                self.table.setItem(row, col, cell)
        if self.backups:
            self.table.selectRow(0)
        else:
            self.status.setText("No backups yet. One is made when the database is closed after editing, "
                                "and every 30 minutes while you edit.")
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        info = self.selected()
        self.restore_button.setEnabled(info is not None and info.documents is not None)

    def ask(self) -> None:
        """Ask before replacing anything (a window-modal box; work elsewhere is blocked only here)."""
        info = self.selected()
        if info is None or info.documents is None:
            return
        box = QMessageBox(
            QMessageBox.Question, "Restore this backup?",
            f"Replace {self.db_path.name} by the backup from {info.time:%Y-%m-%d %H:%M:%S} "
            f"({info.documents} documents, {info.accepted} accepted)?\n\n"
            "Edits made since then will no longer be in the database; the current database is kept "
            f"in {backup_dir(self.db_path).name} first, so nothing is lost.",
            QMessageBox.Yes | QMessageBox.Cancel, self,
        )
        box.setObjectName("confirm_restore")
        box.setTextFormat(Qt.PlainText)
        box.setDefaultButton(QMessageBox.Cancel)
        box.button(QMessageBox.Yes).setText("Restore")
        box.finished.connect(lambda result, chosen=info: self._confirmed(result, chosen))
        self.confirm = box
        box.open()

    def _confirmed(self, result: int, info: BackupInfo) -> None:
        if result != QMessageBox.Yes:
            self.status.setText("Nothing was changed.")
            return
        try:
            _, self.kept = _run_restore(self.db_path, info.path)
        except (BackupError, DatabaseError) as exc:
            self.status.setText(f"Not restored: {exc}")
            self.reload()
            return
        self.status.setText(f"Restored the backup from {info.time:%Y-%m-%d %H:%M:%S}."
                            + (f" The replaced database is kept as {self.kept.name}." if self.kept else ""))
        self.accept()


class DamagedDatabaseDialog(QDialog):
    """Shown instead of the window when the database is damaged: restore the latest good backup, choose one, or quit."""

    def __init__(self, db_path: Path, error: Exception | str, parent=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.restored = False
        self.kept: Path | None = None
        self.latest = latest_good(self.db_path)
        self.setWindowTitle("The database is damaged")
        self.setObjectName("damaged_dialog")
        detail = getattr(error, "detail", None) or str(error)
        text = f"{self.db_path} cannot be opened: {detail}.\n\nThe file was not changed."
        if self.latest:
            text += (f"\n\nThe latest good backup is from {self.latest.time:%Y-%m-%d %H:%M:%S} "
                     f"({self.latest.documents} documents, {self.latest.accepted} accepted). Restoring it keeps "
                     "the damaged file in the backups folder.")
        else:
            text += f"\n\nNo good backup was found in {backup_dir(self.db_path)}."
        self.message = QLabel(text)
        self.message.setObjectName("damaged_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.PlainText)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)

        buttons = QDialogButtonBox()
        self.restore_latest_button = QPushButton("Restore the latest backup")
        self.restore_latest_button.setObjectName("restore_latest")
        self.restore_latest_button.setEnabled(self.latest is not None)
        self.choose_button = QPushButton("Choose a backup…")
        self.choose_button.setObjectName("choose_backup")
        self.choose_button.setEnabled(bool(list_backups(self.db_path)))
        self.quit_button = QPushButton("Quit")
        self.quit_button.setObjectName("quit")
        buttons.addButton(self.restore_latest_button, QDialogButtonBox.AcceptRole)
        buttons.addButton(self.choose_button, QDialogButtonBox.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.RejectRole)
        self.restore_latest_button.clicked.connect(self.restore_latest)
        self.choose_button.clicked.connect(self.choose)
        self.quit_button.clicked.connect(self.reject)
        self.chooser: RestoreDialog | None = None

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, 220)

    def restore_latest(self) -> None:
        if self.latest is None:
            return
        try:
            _, self.kept = _run_restore(self.db_path, self.latest.path)
        except (BackupError, DatabaseError) as exc:
            self.message.setText(f"Not restored: {exc}")
            return
        self.restored = True
        self.accept()

    def choose(self) -> None:
        self.chooser = RestoreDialog(self.db_path, self)
        self.chooser.accepted.connect(self._chosen)
        self.chooser.open()

    def _chosen(self) -> None:
        self.restored, self.kept = True, self.chooser.kept
        self.accept()


def offer_restore(db_path: Path, error: Exception | str, parent=None) -> bool:
    """Tell the user the database is damaged and offer its backups; True once one was restored (open it again)."""
    dialog = DamagedDatabaseDialog(db_path, error, parent)
    dialog.exec()
    return dialog.restored
