"""The home page reads each room through its selectors (docs/architecture.md, "layers")."""

import ast
from pathlib import Path

import cxc_portal.dashboard

ROOMS = ("organisations", "partnerships", "exchanges", "payments", "reports")


def test_the_home_page_counts_through_each_rooms_selectors_never_its_models():
    """``cxc_portal/dashboard.py`` imports only the rooms' selectors: no model, no choices, so
    no count can bypass the room's scoping or read a room's rows its own way."""
    tree = ast.parse(Path(cxc_portal.dashboard.__file__).read_text())
    room_imports = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ROOMS
    }
    assert room_imports, "the home page reads the rooms"
    assert {module.split(".", 1)[1] for module in room_imports} == {"selectors"}
