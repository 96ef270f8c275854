"""Help > About: the version, what the program does and does not do, and the policy."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ccc_desktop import APP_NAME, __version__
from ccc_desktop.resources import read_text


class AboutDialog(QDialog):
    def __init__(self, policy_text: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        layout = QVBoxLayout(self)
        title = QLabel(f"<b style='font-size:15pt'>{APP_NAME}</b> &nbsp; version {__version__}")
        layout.addWidget(title)
        body = QLabel(
            "Confidential records for a Child Contact Centre, kept in one encrypted file on this "
            "computer. The program never uses the internet: no updates, no telemetry, no online "
            "fonts. Nothing personal is written to the disk unencrypted unless you save or "
            "print a document.")
        body.setWordWrap(True)
        layout.addWidget(body)
        layout.addWidget(QLabel("<b>The centre's confidentiality policy</b>"))
        policy = QPlainTextEdit(policy_text if policy_text is not None
                                else read_text("policy", "confidentiality-policy.txt").strip())
        policy.setReadOnly(True)
        policy.setAccessibleName("Confidentiality policy")
        layout.addWidget(policy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(640, 560)
