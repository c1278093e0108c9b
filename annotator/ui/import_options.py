"""The options of `annotator import` the window offers after files are chosen: the format (or by
suffix and content), the status to give the documents, what to do with the same text twice, and
which Label Studio annotation to take. Lists come from the registries and the session's choices."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout

from annotator.io.formats import READERS, ReadOptions, describe
from annotator.session.imports import ImportOptions

STATUS_CHOICES = [
    ("As the file says, else new", None),
    ("Accepted: the file is gold", "accepted"),
    ("In progress", "in_progress"),
    ("New", "new"),
]
DUPLICATE_CHOICES = [
    ("Keep the first, report the others by line", "first"),
    ("Merge their annotations", "merge"),
    ("Reject the later ones", "error"),
]
LS_CHOICES = [("The latest", "latest"), ("The first", "first"), ("All, each annotator by name", "all")]


class ImportOptionsDialog(QDialog):
    def __init__(self, n_files: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Import options")
        self.format_combo = QComboBox()
        self.format_combo.addItem("By suffix and content", None)
        for name, text in describe(READERS):
            self.format_combo.addItem(f"{name}: {text}" if text else name, name)
            self.format_combo.setItemData(self.format_combo.count() - 1, text, Qt.ToolTipRole)
        self.status_combo = _combo(STATUS_CHOICES)
        self.duplicate_combo = _combo(DUPLICATE_CHOICES)
        self.ls_combo = _combo(LS_CHOICES)
        for combo in (self.format_combo, self.status_combo, self.duplicate_combo, self.ls_combo):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(30)
        form = QFormLayout()
        form.addRow("Format:", self.format_combo)
        form.addRow("Status:", self.status_combo)
        form.addRow("Same text twice:", self.duplicate_combo)
        form.addRow("Label Studio:", self.ls_combo)
        note = QLabel(f"{n_files} file(s). Entities in the files are kept; texts without any are pre-annotated by the model. "
                      "doccano files (and other JSON without a Prodigy answer) say no status: choose Accepted when they are gold.")
        note.setTextFormat(Qt.PlainText)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        # Return imports: the default is set once the buttons are in the dialog (before, the dialog did not
        # know it and Return pressed Cancel), and Cancel never takes Return by having the focus
        buttons.button(QDialogButtonBox.Cancel).setAutoDefault(False)
        self.import_button.setDefault(True)
        self.import_button.setFocus()

    def options(self) -> ImportOptions:
        return ImportOptions(
            fmt=self.format_combo.currentData(),
            read=ReadOptions(ls_annotation=self.ls_combo.currentData()),
            on_duplicate=self.duplicate_combo.currentData(),
            status=self.status_combo.currentData(),
        )


def _combo(choices: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    for text, value in choices:
        combo.addItem(text, value)
    return combo
