"""Every feature under features/ — the executable acceptance specs, one feature per stage.

The steps come from the `cadre_rules` pytest plugin (cadre_rules/bdd), exactly as they do for any
other project; nothing is defined here. Run one rule's scenarios with `pytest -m DEC-QUORUM`, judge
them by another rulebook with `--cadre-rules DIR`, and get a report with `--cucumberjson=PATH`.
"""
import pytest
from pytest_bdd import scenarios

scenarios("../../features")


def test_the_step_library_is_installed(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.pluginmanager.has_plugin("cadre_rules.bdd.steps"), (
        "the cadre_rules pytest plugin is not loaded: its entry point is installed with "
        "`pip install -e '.[test]'` (or it was disabled with -p no:cadre_rules)")
