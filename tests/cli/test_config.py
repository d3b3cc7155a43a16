"""Conventions users know: a configuration file, CADRE_RULES_* variables, --fail-on, `-o -`."""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from casedata import attend, dump

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CADRE_RULES")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "cadre_rules", *args], capture_output=True, text=True, cwd=cwd,
                          env=environment)


@pytest.fixture
def warning_only_case(tmp_path, baseline) -> Path:
    """A case whose only finding is a violated warning (filing late is a warning nationally)."""
    data = copy.deepcopy(baseline)
    data["filings"][0]["date"] = "2021-06-30"
    (tmp_path / "case.json").write_text(dump(data), encoding="utf-8")
    return tmp_path / "case.json"


def findings_of(proc: subprocess.CompletedProcess) -> list[dict]:
    return json.loads(proc.stdout)["cases"][0]["findings"]


def test_fail_on_sets_the_threshold(warning_only_case, tmp_path):
    plain = run(["audit", str(warning_only_case), "--format", "json"], tmp_path)
    found = findings_of(plain)
    assert found and all(f["verdict"] == "violated" and f["severity"] == "warning" for f in found)
    assert plain.returncode == 0
    assert run(["audit", str(warning_only_case), "--fail-on", "warning"], tmp_path).returncode == 1
    assert run(["audit", str(warning_only_case), "--fail-on", "unknown"], tmp_path).returncode == 1
    assert run(["audit", str(warning_only_case), "--fail-on", "nonsense"], tmp_path).returncode == 3


def test_pending_counts_only_from_fail_on_pending(tmp_path, baseline):
    data = copy.deepcopy(baseline)
    data["status"], data["as_of"] = "open", "2021-04-21"  # publicity still running
    for key in ("filings", "appointments"):
        data.pop(key, None)
    path = tmp_path / "open.json"
    path.write_text(dump(data), encoding="utf-8")
    verdicts = {f["verdict"] for f in findings_of(run(["audit", str(path), "--format", "json"], tmp_path))}
    assert "pending" in verdicts and "violated" not in verdicts
    assert run(["audit", str(path), "--fail-on", "warning"], tmp_path).returncode == 0
    assert run(["audit", str(path), "--fail-on", "pending"], tmp_path).returncode == 1


def test_dash_output_is_standard_output(warning_only_case, tmp_path):
    proc = run(["audit", str(warning_only_case), "--format", "json", "-o", "-"], tmp_path)
    assert json.loads(proc.stdout)["cases"] and not (tmp_path / "-").exists()


def test_configuration_file_environment_and_command_line_in_that_order(warning_only_case, tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.cadre-rules]\nlang = "en"\n\n[tool.cadre-rules.audit]\nformat = "json"\n'
        'fail-on = "warning"\n', encoding="utf-8")
    configured = run(["audit", str(warning_only_case)], tmp_path)
    assert configured.returncode == 1 and json.loads(configured.stdout)["cases"]
    by_env = run(["audit", str(warning_only_case)], tmp_path, {"CADRE_RULES_AUDIT_FAIL_ON": "violation"})
    assert by_env.returncode == 0
    by_flag = run(["audit", str(warning_only_case), "--fail-on", "violation", "--format", "table"], tmp_path,
                  {"CADRE_RULES_AUDIT_FAIL_ON": "warning"})
    assert by_flag.returncode == 0 and not by_flag.stdout.startswith("{")


def test_own_configuration_file_and_bad_keys(warning_only_case, tmp_path):
    (tmp_path / "cadre-rules.toml").write_text('[audit]\nfail-on = "warning"\n', encoding="utf-8")
    assert run(["audit", str(warning_only_case)], tmp_path).returncode == 1
    (tmp_path / "cadre-rules.toml").write_text('[audit]\nfail-of = "warning"\n', encoding="utf-8")
    bad = run(["audit", str(warning_only_case)], tmp_path)
    assert bad.returncode == 3 and "fail-of" in bad.stderr and "did you mean 'fail-on'" in bad.stderr
    assert "Traceback" not in bad.stderr
    (tmp_path / "cadre-rules.toml").write_text('langauge = "en"\n', encoding="utf-8")
    assert run(["audit", str(warning_only_case)], tmp_path).returncode == 3
    (tmp_path / "cadre-rules.toml").write_text('[audit\n', encoding="utf-8")
    broken = run(["audit", str(warning_only_case)], tmp_path)
    assert broken.returncode == 3 and "invalid TOML" in broken.stderr
    # docs/cli.md's example is the pyproject.toml form: copied into cadre-rules.toml it was refused as
    # "tool: no command has an option --tool"; now the message says where the keys go
    (tmp_path / "cadre-rules.toml").write_text('[tool.cadre-rules.audit]\nfail-on = "warning"\n', encoding="utf-8")
    copied = run(["audit", str(warning_only_case)], tmp_path)
    assert copied.returncode == 3 and "--tool" not in copied.stderr
    assert copied.stderr.strip().splitlines()[-1] == (
        f"Error: {tmp_path / 'cadre-rules.toml'}: [tool.cadre-rules]: that table is for pyproject.toml; in "
        'cadre-rules.toml the keys go at the top, without it (`lang = "en"`, `[audit]`, `[report.annual]`)')


@pytest.mark.parametrize("args", [
    ["audit", "{case}", "--format", "json"],
    ["audit", "{case}", "--workers", "2", "-o", "{out}"],
    ["spotcheck", "{case}"],
    ["report", "annual", "{case}", "--year", "2021", "--org", "x", "--docx", "{out}"],
])
def test_a_bad_limit_setting_is_a_usage_error_not_a_bug(args, warning_only_case, tmp_path):
    """A CADRE_RULES_MAX_* variable that is not a positive whole number is the user's setting: exit
    status 3 and the variable named, before any output (it read as an internal error, status 4)."""
    out = tmp_path / "report.out"
    proc = run([a.format(case=warning_only_case, out=out) for a in args], tmp_path,
               env={"CADRE_RULES_MAX_DEPTH": "lots"})
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.strip().endswith("CADRE_RULES_MAX_DEPTH='lots'：应为正整数") or \
        proc.stderr.strip() == "error: CADRE_RULES_MAX_DEPTH='lots': expected a positive whole number"
    assert not out.exists() and list(tmp_path.iterdir()) == [warning_only_case]


def test_a_depth_limit_the_readers_cannot_follow_is_a_usage_error(warning_only_case, tmp_path):
    """CADRE_RULES_MAX_DEPTH=100000 read a file nested 1,000 deep (Python's recursion limit) as "more
    than 100000 levels": the limit named was not what stopped it. Above 500 the setting is refused."""
    proc = run(["audit", str(warning_only_case), "--format", "json"], tmp_path, env={"CADRE_RULES_MAX_DEPTH": "100000"})
    assert proc.returncode == 3 and proc.stdout == ""
    assert proc.stderr.strip().endswith("CADRE_RULES_MAX_DEPTH='100000'：最大为 500（更深的嵌套本程序无法读取）")
    deep = tmp_path / "deep.json"
    deep.write_text('{"id": "d", "meta": ' + "[" * 600 + "]" * 600 + "}", encoding="utf-8")
    at_most = run(["audit", str(deep), "--format", "json"], tmp_path, env={"CADRE_RULES_MAX_DEPTH": "500"})
    assert at_most.returncode == 2 and "嵌套过深（超过 500 层）" in at_most.stderr


@pytest.mark.parametrize("toml, exit_code, said", [
    ("[audit]\nas-of = 2021-06-01\nformat = \"json\"\n", 0, None),  # a TOML date: the audit's reference date
    ("[audit]\nholidays = [1]\n", 3, "Invalid value for '--holidays': File '1' does not exist"),
    ("[audit]\nwaivers = [\"a.yaml\", \"b.yaml\"]\n", 3, "[audit] waivers: --waivers takes one value, not a list"),
    ("[audit]\nrules = {a = 1}\n", 3, "[audit] rules: a value, or a list of values, not dict"),
])
def test_toml_dates_numbers_tables_and_lists_are_values_or_the_files_errors(warning_only_case, tmp_path, toml,
                                                                            exit_code, said):
    """Found by fuzzing cadre-rules.toml: each of these once reached click's converters as a date, a
    number, a table or a list and stopped the command with exit status 4, an internal error."""
    (tmp_path / "cadre-rules.toml").write_text(toml, encoding="utf-8")
    proc = run(["audit", str(warning_only_case)], tmp_path)
    assert proc.returncode == exit_code, proc.stderr
    assert "internal error" not in proc.stderr
    if said is None:
        assert json.loads(proc.stdout)["as_of"] == "2021-06-01"
    else:
        assert said in proc.stderr


def test_every_option_reads_the_environment_variable_cli_md_names(warning_only_case, tmp_path):
    """docs/cli.md: CADRE_RULES_<COMMAND>_<OPTION>, from the long option. Options whose Python parameter
    is named otherwise (`--format` → fmt, `--rules` → rules_dir, `--org` → organisation, …) read
    CADRE_RULES_AUDIT_FMT instead, and CADRE_RULES_AUDIT_FORMAT=json was ignored without a word."""
    import click

    from cadre_rules.cli.main import main

    def walk(group, path=()):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from walk(command, (*path, name))
            else:
                yield (*path, name), command

    for path, command in walk(main):
        for param in command.params:
            longs = [o for o in param.opts if o.startswith("--")] if isinstance(param, click.Option) else []
            if longs and param.name != "token":  # serve --token: CADRE_RULES_TOKEN (docs/service.md)
                documented = "_".join(["CADRE_RULES", *path, longs[0][2:]]).upper().replace("-", "_")
                envvar = [param.envvar] if isinstance(param.envvar, str) else param.envvar
                assert documented == envvar[0], (path, longs[0], param.envvar)
    as_json = run(["audit", str(warning_only_case)], tmp_path, {"CADRE_RULES_AUDIT_FORMAT": "json"})
    assert as_json.stdout.startswith("{"), as_json.stdout[:200]
    typo = run(["audit", str(warning_only_case)], tmp_path, {"CADRE_RULES_AUDIT_FORMAT": "jsn"})
    assert typo.returncode == 3 and "'jsn' is not one of" in typo.stderr
    before = run(["audit", str(warning_only_case)], tmp_path, {"CADRE_RULES_AUDIT_FMT": "json"})
    assert before.stdout.startswith("{")  # the parameter's own name is still read, after the documented one
