"""The command-line dispatcher offers every command it lists, and hides none."""

from __future__ import annotations

import importlib

import pytest

from deflectkit.cli import COMMANDS, main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_listed_command_imports(name: str) -> None:
    """Each command module exists and has what the dispatcher calls."""
    module = importlib.import_module(COMMANDS[name])

    assert (True, True, True) == (
        isinstance(module.HELP, str), callable(module.add_arguments), callable(module.run)
    )


def test_a_missing_command_module_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command whose module is missing fails loudly instead of vanishing from --help."""
    monkeypatch.setitem(COMMANDS, "ghost", "deflectkit.cli.no_such_module")

    with pytest.raises(ModuleNotFoundError):
        main(["--help"])
