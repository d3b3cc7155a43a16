"""The `cadre_rules` pytest plugin (entry point `pytest11`): the Gherkin step library for any project.

With cadre-rules and pytest-bdd installed, a project writes .feature files in zh-CN or English and a
test module that calls `pytest_bdd.scenarios(...)`; the steps come from here. Options:

  --cadre-rules DIR      judge scenarios by the rulebook in DIR (ini: cadre_rules_dir, relative to the ini file)
  --cadre-profile NAME   with profile NAME (ini: cadre_profile; default: national)

Without pytest-bdd the plugin adds only its options and stays out of the way.
Disable it with `-p no:cadre_rules`.
"""
from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cadre-rules", "cadre-rules specs (Gherkin steps)")
    group.addoption("--cadre-rules", dest="cadre_rules_dir", metavar="DIR", default=None,
                    help="rulebook directory the specs are judged by (default: the bundled rules).")
    group.addoption("--cadre-profile", dest="cadre_profile", metavar="NAME", default=None,
                    help="rulebook profile for the specs (default: national).")
    parser.addini("cadre_rules_dir", "rulebook directory for cadre-rules specs, relative to the ini file", default="")
    parser.addini("cadre_profile", "rulebook profile for cadre-rules specs", default="")


def pytest_configure(config: pytest.Config) -> None:
    try:
        import pytest_bdd  # noqa: F401
    except ImportError:
        return
    from cadre_rules.bdd import steps

    if not config.pluginmanager.is_registered(steps):
        config.pluginmanager.register(steps, "cadre_rules.bdd.steps")
