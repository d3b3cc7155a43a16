"""Defaults for the command line from a configuration file and the environment.

Where a value comes from, first match wins: the command line; an environment variable
`CADRE_RULES_<COMMAND>_<OPTION>` (e.g. `CADRE_RULES_AUDIT_FAIL_ON=warning`; a sub-command adds its
group: `CADRE_RULES_REPORT_ANNUAL_TEMPLATE`); the configuration file; the built-in default.

The configuration file is `cadre-rules.toml` in the current directory, else the `[tool.cadre-rules]`
table of the nearest `pyproject.toml` from the current directory up, else `CADRE_RULES_CONFIG` if set
(it then takes precedence over both). Keys are option names without dashes in front. Keys at the top
apply to every command that has that option; a table per command narrows them:

    [tool.cadre-rules]
    lang = "en"
    rules = "rules-local"
    [tool.cadre-rules.audit]
    format = "json"
    fail-on = "warning"
    holidays = ["holidays-2027.yaml"]
    [tool.cadre-rules.report.annual]
    template = "our-letterhead.docx"

A key that no command knows is an error naming the file and the key, with the nearest option name.
"""
from __future__ import annotations

import difflib
import os
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Any

import click

from cadre_rules.errors import ConfigError

ENV_PREFIX = "CADRE_RULES"


def find_config(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The configuration file in force and its table, or None."""
    explicit = os.environ.get(f"{ENV_PREFIX}_CONFIG")
    if explicit:
        return Path(explicit), _table(Path(explicit), own=not explicit.endswith("pyproject.toml"))
    here = (start or Path.cwd()).resolve()
    if (here / "cadre-rules.toml").is_file():
        return here / "cadre-rules.toml", _table(here / "cadre-rules.toml", own=True)
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _table(pyproject, own=False)
            return (pyproject, table) if table else None
    return None


def _table(path: Path, own: bool) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}", path=str(path)) from None
    if own:
        if isinstance(data.get("tool"), dict) and "cadre-rules" in data["tool"]:
            # docs/cli.md shows the pyproject.toml form; copied into cadre-rules.toml it read as an option
            # --tool ("tool: no command has an option --tool"), which told a user nothing
            raise ConfigError(f"{path}: [tool.cadre-rules]: that table is for pyproject.toml; in {path.name} the keys "
                              "go at the top, without it (`lang = \"en\"`, `[audit]`, `[report.annual]`)",
                              path=str(path))
        return data
    table = data.get("tool", {}).get("cadre-rules", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.cadre-rules] must be a table", path=str(path))
    return table


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], click.Command]:
    out: dict[tuple[str, ...], click.Command] = {}
    for name, command in group.commands.items():
        path = (*prefix, name)
        if isinstance(command, click.Group):
            out.update(_commands(command, path))
        else:
            out[path] = command
    return out


def _option_names(command: click.Command) -> dict[str, click.Parameter]:
    """Config key (the long option without dashes) → parameter."""
    out: dict[str, click.Parameter] = {}
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in param.opts + param.secondary_opts:
                if opt.startswith("--"):
                    out[opt[2:]] = param
    return out


def default_map(group: click.Group, path: Path, table: dict[str, Any]) -> dict[str, Any]:
    """click's nested `default_map` from the configuration table, every key checked."""

    def _as_typed(value: Any, where: str, option: click.Parameter) -> Any:
        """A value as the command line would give it: text (TOML's own dates and numbers written
        out), true/false kept for flags, a list for a repeatable option.

        Why: click converts a default as if it were typed, but only text: `as-of = 2024-06-30`
        (a TOML date), `holidays = [1]` or `rules = {a = 1}` reached its converters as a date, a
        number, a table or a list and raised TypeError: every command stopped with an internal
        error (found by fuzzing cadre-rules.toml). Now a date or a number is its text, checked as
        typed; a table, a nested list or a list for a one-value option is an error naming the file
        and the key."""
        if isinstance(value, bool) or isinstance(value, str):
            return value
        if isinstance(value, (int, float, date, time)):
            return value.isoformat() if isinstance(value, (date, time)) else str(value)
        if isinstance(value, list) and not any(isinstance(v, (list, dict)) for v in value):
            if not getattr(option, "multiple", False) and option.nargs == 1:
                raise ConfigError(f"{path}: {where}: --{where.rsplit(' ', 1)[-1]} takes one value, not a list",
                                  path=str(path))
            return [_as_typed(v, where, option) for v in value]
        raise ConfigError(f"{path}: {where}: a value, or a list of values, not {type(value).__name__} {value!r}",
                          path=str(path))

    commands = _commands(group)
    known_keys = {key for command in commands.values() for key in _option_names(command)}
    maps: dict[tuple[str, ...], dict[str, Any]] = {name: {} for name in commands}

    def place(command_path: tuple[str, ...], key: str, value: Any, where: str) -> None:
        options = _option_names(commands[command_path])
        if key not in options:
            hint = difflib.get_close_matches(key, list(options), n=1)
            raise ConfigError(f"{path}: {where}{key}: `cadre-rules {' '.join(command_path)}` has no option --{key}"
                              + (f"; did you mean {hint[0]!r}?" if hint else ""), path=str(path))
        maps[command_path][options[key].name] = _as_typed(value, f"{where}{key}", options[key])

    def walk(node: dict[str, Any], prefix: tuple[str, ...]) -> None:
        for key, value in node.items():
            here = (*prefix, key)
            if isinstance(value, dict) and any(name[: len(here)] == here for name in commands):
                walk(value, here)
            elif prefix and prefix in commands:
                place(prefix, key, value, f"[{'.'.join(prefix)}] ")
            elif not prefix:
                if key not in known_keys:
                    hint = difflib.get_close_matches(key, sorted(known_keys), n=1)
                    raise ConfigError(f"{path}: {key}: no command has an option --{key}"
                                      + (f"; did you mean {hint[0]!r}?" if hint else ""), path=str(path))
                for command_path, command in commands.items():
                    if key in _option_names(command):
                        option = _option_names(command)[key]
                        maps[command_path].setdefault(option.name, _as_typed(value, key, option))
            else:
                raise ConfigError(f"{path}: [{'.'.join(prefix)}]: no command `cadre-rules {' '.join(prefix)}`", path=str(path))

    # command tables first, so that their values win over the keys at the top
    walk({k: v for k, v in table.items() if isinstance(v, dict)}, ())
    walk({k: v for k, v in table.items() if not isinstance(v, dict)}, ())
    nested: dict[str, Any] = {}
    for command_path, values in maps.items():
        if values:
            node = nested
            for part in command_path[:-1]:
                node = node.setdefault(part, {})
            node[command_path[-1]] = values
    return nested
