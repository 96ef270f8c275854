"""The Summons & legal tab: witness summonses with the policy's steps and letters, police
visits, assessment agreements (clause 7) and the letter templates."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QTabWidget,
)

from ccc_desktop.models.roles import Permission
from ccc_desktop.ui.legal.agreements import AgreementsPanel
from ccc_desktop.ui.legal.police import PolicePanel
from ccc_desktop.ui.legal.summonses import SummonsPanel
from ccc_desktop.ui.legal.templates import TemplatesPanel
from ccc_desktop.ui.widgets.context import AppContext


# ---- the tab ------------------------------------------------------------------------------------
class LegalTab(QTabWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.summonses = SummonsPanel(ctx)
        self.police = PolicePanel(ctx, self.run_dialog)
        self.agreements = AgreementsPanel(ctx, self.run_dialog)
        self.addTab(self.summonses, "Witness summonses")
        self.addTab(self.police, "Police visits")
        self.addTab(self.agreements, "Assessment agreements")
        self.templates: TemplatesPanel | None = None
        if ctx.actor.can(Permission.EDIT_TEMPLATES):
            self.templates = TemplatesPanel(ctx, self.run_dialog)
            self.addTab(self.templates, "Letter templates")

    def run_dialog(self, dialog: QDialog) -> bool:
        return self.summonses.run_dialog(dialog)

    def refresh(self) -> None:
        self.summonses.refresh()
        self.police.refresh()
        self.agreements.refresh()

