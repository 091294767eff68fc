"""R-EXC-2: the documented state diagram is generated from the code and cannot drift."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from exchanges.management.commands.exchanges_state_diagram import render, transitions


def test_r_exc_2_transitions_read_from_the_model():
    assert transitions() == [
        ("draft", "contracted", "contract"),
        ("draft", "cancelled", "cancel"),
        ("contracted", "executed", "execute"),
        ("contracted", "cancelled", "cancel"),
        ("executed", "closed", "close"),
    ]


def test_r_exc_2_committed_diagram_equals_the_generated_one():
    committed = (Path(settings.BASE_DIR) / "docs" / "exchange-states.md").read_text("utf-8")
    assert committed == render()
    assert "stateDiagram-v2" in committed
    assert "closed --> [*]" in committed and "cancelled --> [*]" in committed


def test_check_option_fails_on_a_stale_file(tmp_path, monkeypatch):
    from exchanges.management.commands import exchanges_state_diagram as command

    stale = tmp_path / "exchange-states.md"
    stale.write_text("old", encoding="utf-8")
    monkeypatch.setattr(command, "DOC_PATH", stale)
    with pytest.raises(CommandError, match="out of date"):
        call_command("exchanges_state_diagram", "--check")
    call_command("exchanges_state_diagram")
    assert stale.read_text(encoding="utf-8") == render()
    call_command("exchanges_state_diagram", "--check")
