"""Help > User guide: a short guide that ships with the app, shown without any network."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialogButtonBox, QTextBrowser, QWidget

from ccc_desktop.resources import resource_path
from ccc_desktop.ui.widgets.forms import FormDialog


class GuideDialog(FormDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("CCC Desktop user guide", parent,
                         ok=QDialogButtonBox.StandardButton.Close, cancel=False)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)  # nothing leaves the computer
        self.browser.setOpenLinks(True)
        folder = resource_path("guide")
        self.browser.setSearchPaths([str(folder)])
        self.browser.setSource(QUrl.fromLocalFile(str(folder / "index.html")))
        self.browser.setAccessibleName("User guide")
        self.outer.addWidget(self.browser)
        self.finish(0)
        self.resize(900, 760)
