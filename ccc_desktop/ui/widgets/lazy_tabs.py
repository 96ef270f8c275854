"""Tabs whose pages are built the first time they are shown (or asked for), not all at once.

Building every page of a tabbed screen when it opens held the window for 100-300 ms on a large
centre (issue 17), although only one page is on screen. A page added with ``add_lazy`` is a
blank stand-in until its tab is chosen or ``page(key)`` asks for it; the real page then takes
its place in the same tab, so ``currentWidget()`` is always the real page once shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QWidget


class LazyTabs(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pending: dict[str, tuple[QWidget, Callable[[], QWidget]]] = {}
        self._pages: dict[str, QWidget] = {}
        self.page_built: list[Callable[[QWidget], None]] = []  # told of each page built late
        self.currentChanged.connect(self._build_current)

    def add_page(self, key: str, title: str, page: QWidget) -> QWidget:
        """A page built already."""
        self._pages[key] = page
        self.addTab(page, title)
        return page

    def add_lazy(self, key: str, title: str, factory: Callable[[], QWidget]) -> None:
        """A page that ``factory`` builds when it is first shown or asked for."""
        stand_in = QWidget()
        stand_in.setObjectName(f"unbuilt_{key}")
        self._pending[key] = (stand_in, factory)
        self.addTab(stand_in, title)  # the first tab added becomes current: built at once

    def has_page(self, key: str) -> bool:
        return key in self._pages or key in self._pending

    def built_page(self, key: str) -> QWidget | None:
        """The page if it has been built, without building it."""
        return self._pages.get(key)

    def built_pages(self) -> list[QWidget]:
        return list(self._pages.values())

    def page(self, key: str) -> QWidget:
        """The page, built now if it had not been."""
        page = self._pages.get(key)
        if page is not None:
            return page
        stand_in, factory = self._pending.pop(key)
        page = factory()
        self._pages[key] = page
        index = self.indexOf(stand_in)
        title, tip = self.tabText(index), self.tabToolTip(index)
        was_current = self.currentIndex() == index
        blocked = self.blockSignals(True)  # the same tab stays current: nothing to announce
        try:
            self.insertTab(index, page, title)  # the stand-in moves to index + 1
            self.setTabToolTip(index, tip)
            if was_current:
                self.setCurrentIndex(index)
            self.removeTab(index + 1)
        finally:
            self.blockSignals(blocked)
        stand_in.deleteLater()
        for listener in list(self.page_built):
            listener(page)
        return page

    def find_place(self, name: str) -> QWidget | None:
        """The control named ``name`` on any page, building pages one by one until it is found
        (the dashboard's "go to" buttons)."""
        found = self.findChild(QWidget, name)
        for key in list(self._pending):
            if found is not None:
                break
            found = self.page(key).findChild(QWidget, name)
        return found

    def _build_current(self, index: int) -> None:
        widget = self.widget(index)
        for key, (stand_in, _factory) in list(self._pending.items()):
            if stand_in is widget:
                self.page(key)
                return
