"""What every screen is given: the services of the unlocked session, the dialogs and the bus."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from ccc_desktop.models.roles import Actor
from ccc_desktop.models.services.registry import Services
from ccc_desktop.ui.widgets.dialogs import DialogService


class ChangeBus(QObject):
    """The one adaptor: after each committed write it emits the topics that changed."""

    changed = Signal(object)  # frozenset[str]

    def notify(self, topics: frozenset[str]) -> None:
        self.changed.emit(topics)


@dataclass
class AppContext:
    services: Services
    dialogs: DialogService
    bus: ChangeBus

    @property
    def actor(self) -> Actor:
        return self.services.session.actor


def make_context(services: Services, dialogs: DialogService) -> AppContext:
    bus = ChangeBus()
    services.session.db.add_listener(bus.notify)
    return AppContext(services, dialogs, bus)
