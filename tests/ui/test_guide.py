"""Help > User guide ships with the app: every picture and link it uses is there."""

import re

from ccc_desktop.resources import resource_path


def test_guide_pictures_and_anchors_exist() -> None:
    html = resource_path("guide", "index.html").read_text("utf-8")
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 5
    for src in images:
        assert resource_path("guide", src).is_file(), src
    anchors = set(re.findall(r'<a name="([^"]+)"', html))
    for target in re.findall(r'<a href="#([^"]+)"', html):
        assert target in anchors
    assert "http" not in html  # no link leaves the computer


def test_guide_opens_from_the_help_menu(qtbot) -> None:
    from ccc_desktop.ui.shell.guide import GuideDialog

    dialog = GuideDialog()
    qtbot.addWidget(dialog)
    assert "recovery key" in dialog.browser.toPlainText()
