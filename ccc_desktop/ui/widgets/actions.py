"""One way to run an action the services may refuse (a ``CccError``) and show why.

    if run_action(self.ctx.dialogs, self, "Cannot make active",
                  lambda: self.ctx.services.volunteers.activate(v.id)):
        self.refresh()

The message goes beside its field when ``errors`` (a form's ``FieldErrors``) is given, else in
an error box titled ``title``. The outcome is true when the action ran; ``.value`` is what it
returned. Anything that is not a ``CccError`` is a bug and is not caught here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtWidgets import QWidget

from ccc_desktop.models.errors import CccError
from ccc_desktop.ui.widgets.dialogs import DialogService
from ccc_desktop.ui.widgets.forms import FieldErrors

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    ok: bool
    result: T | None = None
    error: CccError | None = None

    def __bool__(self) -> bool:
        return self.ok

    @property
    def value(self) -> T:
        """What the action returned (only when it ran)."""
        assert self.ok, "the action was refused"
        return self.result  # type: ignore[return-value]


def run_action(dialogs: DialogService | None, parent: QWidget | None, title: str,
               action: Callable[[], T], errors: FieldErrors | None = None) -> Outcome[T]:
    if errors is not None:
        errors.clear()
    try:
        value = action()
    except CccError as exc:
        if errors is not None:
            errors.show(exc)
        elif dialogs is not None:
            dialogs.error(parent, title, str(exc))
        return Outcome(False, None, exc)
    return Outcome(True, value)
