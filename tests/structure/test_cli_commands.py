"""The command table (appliance.cli.COMMAND_MODULES) says which module registers each command: a cold command
imports only its own module, so the table must name every module and every command each one registers."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

from appliance import cli


def test_the_table_names_every_command_module_and_the_commands_it_registers():
    modules = sorted(p.stem for p in Path(cli.__file__).parent.glob("cmd_*.py"))
    assert sorted(set(cli.COMMAND_MODULES.values())) == modules
    for module in modules:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"appliance.cli.{module}").register(sub)
        assert sorted(sub.choices) == sorted(c for c, m in cli.COMMAND_MODULES.items() if m == module), module


def test_a_command_imports_only_its_own_module_and_the_help_lists_them_all():
    probe = ("import sys; from appliance import cli; cli.build_parser('queue'); "
             "print(sorted(m for m in sys.modules if m.startswith('appliance.cli.cmd_')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['appliance.cli.cmd_queue']"
    listed = cli.build_parser().format_help()
    assert all(command in listed for command in cli.COMMAND_MODULES)
    assert all(command in cli.build_parser("no-such-command").format_help() for command in cli.COMMAND_MODULES)
