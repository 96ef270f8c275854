"""Help > About: the version, what the program does and does not do, and the policy."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPlainTextEdit, QWidget

from ccc_desktop import APP_NAME, __version__
from ccc_desktop.resources import read_text
from ccc_desktop.ui.widgets.forms import FormDialog


class AboutDialog(FormDialog):
    def __init__(self, policy_text: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(f"About {APP_NAME}", parent, ok=QDialogButtonBox.StandardButton.Close,
                         cancel=False)
        title = QLabel(f"<b style='font-size:15pt'>{APP_NAME}</b> &nbsp; version {__version__}")
        self.outer.addWidget(title)
        self.add_text(
            "Confidential records for a Child Contact Centre, kept in one encrypted file on this "
            "computer. The program never uses the internet: no updates, no telemetry, no online "
            "fonts. Nothing personal is written to the disk unencrypted unless you save or "
            "print a document.")
        self.outer.addWidget(QLabel("<b>The centre's confidentiality policy</b>"))
        policy = QPlainTextEdit(policy_text if policy_text is not None
                                else read_text("policy", "confidentiality-policy.txt").strip())
        policy.setReadOnly(True)
        policy.setAccessibleName("Confidentiality policy")
        self.outer.addWidget(policy)
        self.finish(0)
        self.resize(640, 560)
