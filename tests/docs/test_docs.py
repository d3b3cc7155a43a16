"""The documentation is checked against the code, so that it cannot drift from it.

- the mkdocs site builds with --strict (broken links and anchors fail);
- docs/examples/embed.py runs, exits 0 and prints what docs/api.md says it prints;
- rule-format.md documents exactly the fact types and fields of cadre_rules.facts.SCHEMA, and the
  grammar of cadre_rules.rulebook.expr;
- cli.md documents every command (recursively) and every option of the click group;
- the stage graph, case example, public API and README test command shown in the docs are the real ones.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import cadre_rules as cr
from cadre_rules.cli.main import main as cli_main
from cadre_rules.facts import SCHEMA
from cadre_rules.rulebook import expr
from cadre_rules.reading.yamlmarks import safe_load

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EMBED = DOCS / "examples" / "embed.py"


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def fenced_blocks(text: str, lang: str = "") -> list[str]:
    """Contents of the ``` fenced blocks of a Markdown text, optionally only those tagged `lang`."""
    return [body for tag, body in re.findall(r"^```(\w*)\n(.*?)^```", text, re.S | re.M) if not lang or tag == lang]


# (a) the site builds ------------------------------------------------------------------------------

def test_mkdocs_builds_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for page in ("index.html", "case-format/index.html", "rule-format/index.html", "cli/index.html",
                 "api/index.html", "workflow/index.html"):
        assert (site / page).is_file(), f"{page} was not built"


def test_nav_lists_every_page() -> None:
    """Every page of docs/ (the generated rule reference in docs/rules/ aside) is reachable from the nav."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = re.findall(r"^\s*- (?:[^:\n]+|\"[^\"]+\"): (\S+\.md)\s*$", config.split("\nnav:\n", 1)[1], re.M)
    for page in ("index.md", "case-format.md", "rule-format.md", "cli.md", "api.md", "workflow.md"):
        assert (DOCS / page).is_file(), page
    pages = {p.name for p in DOCS.glob("*.md")}
    assert pages <= set(nav), f"pages missing from the nav of mkdocs.yml: {sorted(pages - set(nav))}"
    assert set(nav) <= pages | {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}


# (b) the embedding example runs -------------------------------------------------------------------

@pytest.fixture(scope="module")
def embed_output() -> str:
    proc = subprocess.run([sys.executable, str(EMBED)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == "", proc.stderr  # no warning (a deprecated spelling) on a documented example
    return proc.stdout


def test_embed_example_markers(embed_output: str) -> None:
    out = embed_output
    assert re.search(r"^rulebook \w+ \(national\): \d+ rules$", out, re.M)
    assert "no findings (compliant)" in out
    assert re.search(r"^  INS-TEAM-2 violated \[violation\]", out, re.M)
    assert re.search(r"^  DEC-LAST-SPEAKER violated \[violation\]", out, re.M)
    assert "blocking: ['DEC-LAST-SPEAKER', 'INS-TEAM-2']" in out
    assert "[invalid] CaseValidationError" in out
    assert "  meetings[0].chiar: unknown field" in out
    assert '  publicity[0].candidate: unknown candidate "c9"' in out
    assert "[batch] api:2: invalid, 3 error(s)" in out
    assert "[batch] exit status 2" in out
    assert "inspection -> discussion: refused by INS-TEAM-2" in out
    assert "refused by ILLEGAL-TRANSITION" in out
    assert "inspection -> discussion: accepted" in out
    assert "appointment -> filing: accepted" in out
    assert "now at filing" in out
    assert "strict: TransitionRefused(('INS-TEAM-2',))" in out


def test_api_page_shows_real_output(embed_output: str) -> None:
    """Every line of the output excerpts in api.md is a line the example really prints."""
    printed = set(embed_output.splitlines())
    excerpts = [b for b in fenced_blocks(read("api.md"), "") if "[workflow]" in b or "[invalid]" in b]
    assert excerpts, "api.md shows no output of embed.py"
    for block in excerpts:
        for line in block.splitlines():
            assert line in printed, f"api.md shows a line embed.py does not print: {line!r}"


def test_generated_sections_are_current() -> None:
    """The tables docs/tools/reference.py generates (facts, case fields, stage graph, transitions,
    example output) are what it would generate now."""
    proc = subprocess.run([sys.executable, str(DOCS / "tools" / "reference.py"), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# (c) every fact type and field is documented ------------------------------------------------------

def documented_facts() -> dict[str, dict[str, tuple[str, bool, bool]]]:
    text = read("rule-format.md")
    facts_section = text.split("\n## Facts\n", 1)
    assert len(facts_section) == 2, "rule-format.md has no '## Facts' section"
    out: dict[str, dict[str, tuple[str, bool, bool]]] = {}
    current: dict[str, tuple[str, bool, bool]] | None = None
    for line in facts_section[1].splitlines():
        heading = re.match(r"^### `(\w+)`\s*$", line)
        if heading:
            assert heading.group(1) not in out, f"fact type {heading.group(1)} documented twice"
            current = out.setdefault(heading.group(1), {})
            continue
        if line.startswith("## "):
            break
        row = re.match(r"^\| `(\w+)` \| ([^|]+?) \| (yes)? *\| (yes)? *\|", line)
        if row and current is not None:
            assert row.group(1) not in current, f"field {row.group(1)} documented twice"
            kind = re.sub(r"\[(.*?)\]\(codes\.md#\w+\)", r"\1", row.group(2))  # code(MoveKind), linked
            current[row.group(1)] = (kind, bool(row.group(3)), bool(row.group(4)))
    return out


def test_rule_format_documents_every_fact_field() -> None:
    documented = documented_facts()
    assert list(documented) == list(SCHEMA), "fact types in rule-format.md differ from cadre_rules.facts.SCHEMA"
    for fact_type, fields in SCHEMA.items():
        expected = {name: (ft.type_name, ft.nullable, ft.may_be_unknown) for name, ft in fields.items()}
        assert documented[fact_type] == expected, f"fields of fact type {fact_type!r} differ from SCHEMA"


def test_codes_page_lists_every_code_list_and_code() -> None:
    """docs/codes.md (generated, checked current above) names every code of cadre_rules/codes.py."""
    from cadre_rules.codes import CODE_LISTS

    text = read("codes.md")
    for codes in CODE_LISTS:
        section = text.split(f"\n### {codes.__name__}\n", 1)
        assert len(section) == 2, f"codes.md has no section for {codes.__name__}"
        table = section[1].split("\n### ", 1)[0]
        for member in codes:
            assert f"| `{member.value}` | {member.zh} |" in table, f"{codes.__name__}.{member.value}"


def test_rule_format_shows_the_real_grammar() -> None:
    doc = expr.__doc__ or ""
    lines = doc.split("The grammar, loosest binding first:", 1)[1].strip("\n").split("\n\n", 1)[0]
    grammar = textwrap.dedent(lines).strip()
    blocks = [textwrap.dedent(b).strip() for b in fenced_blocks(read("rule-format.md"))]
    assert grammar in blocks, "the grammar in rule-format.md differs from cadre_rules/rulebook/expr.py"


def test_rule_format_example_rule_loads(tmp_path: Path) -> None:
    """The example rule of rule-format.md is a valid rule file (under another id, beside the bundled rules)."""
    import shutil

    from cadre_rules.rulebook.loader import bundled_rules_dir

    example = next(b for b in fenced_blocks(read("rule-format.md"), "yaml") if b.startswith("rules:"))
    root = tmp_path / "rules"
    shutil.copytree(bundled_rules_dir(), root)
    (root / "zz-doc-example.yaml").write_text(example.replace("id: DEC-QUORUM", "id: DOC-EXAMPLE"), encoding="utf-8")
    rulebook = cr.load_rulebook(root)
    assert "DOC-EXAMPLE" in rulebook.ids


def test_rule_format_lists_every_rule_key() -> None:
    from cadre_rules.rulebook.loader import CITATION_KEYS, RULE_KEYS

    text = read("rule-format.md")
    for key in sorted(RULE_KEYS | CITATION_KEYS):
        assert f"| `{key}` |" in text, f"rule-format.md does not document the key {key!r}"


# (d) every command and option is documented -------------------------------------------------------

def walk_commands(group: click.Group, prefix: tuple[str, ...] = (), groups: bool = False):
    """(path, command) of every command under the group, recursively; groups too if asked."""
    for name, command in sorted(group.commands.items()):
        path = prefix + (name,)
        if isinstance(command, click.Group):
            if groups:
                yield path, command
            yield from walk_commands(command, path, groups)
        else:
            yield path, command


def cli_sections() -> dict[str, str]:
    """cli.md split at its '## `cadre-rules ...`' (or ###) headings."""
    parts = re.split(r"^#{2,3} `cadre-rules ([^`]+)`\s*$", read("cli.md"), flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def test_cli_documents_every_command_and_option() -> None:
    sections = cli_sections()
    commands = list(walk_commands(cli_main))
    assert commands, "the click group has no commands"
    for path, command in commands:
        name = " ".join(path)
        assert name in sections, f"cli.md has no section '## `cadre-rules {name}`'"
        body = sections[name]
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in param.opts + param.secondary_opts:
                    assert opt in body, f"cli.md does not document {opt} of 'cadre-rules {name}'"
                if isinstance(param.type, click.Choice):
                    for choice in param.type.choices:
                        assert str(choice) in body, f"cli.md does not name {param.opts[0]} {choice} of '{name}'"
            elif isinstance(param, click.Argument):
                assert param.name.upper() in body, f"cli.md does not document {param.name.upper()} of '{name}'"
    existing = {" ".join(p) for p, _ in walk_commands(cli_main, groups=True)}
    assert set(sections) <= existing, f"cli.md documents commands that do not exist: {set(sections) - existing}"


def test_cli_documents_every_key_of_the_json_report(tmp_path: Path) -> None:
    """Each key the JSON report really has (top level, case, finding, summary) is named in cli.md."""
    data = safe_load(fenced_blocks(read("case-format.md"), "yaml")[0])
    data["inspections"][0]["team"] = data["inspections"][0]["team"][:1]  # INS-TEAM-2: a finding to show
    good = tmp_path / "good.json"
    good.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x", "colour": 1}', encoding="utf-8")
    result = CliRunner().invoke(cli_main, ["audit", "--format", "json", str(good), str(bad)])
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    keys = set(report) | set(report["summary"])
    for case in report["cases"]:
        keys |= set(case)
        for finding in case["findings"]:
            keys |= set(finding)
    assert any(case["findings"] for case in report["cases"]), "the check needs a finding"
    text = read("cli.md")
    missing = sorted(k for k in keys if not re.search(rf"`{re.escape(k)}[`.\[ ]", text))
    assert not missing, f"cli.md does not describe these keys of the JSON report: {missing}"
    # the finding cli.md shows is this one (the case-format example with a one-member team), key for key
    shown = json.loads(fenced_blocks(text, "json")[0])["cases"][0]["findings"][0]
    real = next(f for case in report["cases"] for f in case["findings"] if f["rule_id"] == shown["rule_id"])
    assert shown == {key: real[key] for key in shown}


def test_cli_overview_lists_every_command() -> None:
    text = read("cli.md")
    for path, _ in walk_commands(cli_main):
        assert f"| `cadre-rules {' '.join(path)}` |" in text


# the rest of what the docs show is the real thing ------------------------------------------------

def test_index_shows_the_real_stage_graph() -> None:
    result = CliRunner().invoke(cli_main, ["workflow", "--format", "mermaid"])
    assert result.exit_code == 0, result.output
    assert result.output in fenced_blocks(read("index.md"), "mermaid"), \
        "the mermaid block of index.md differs from `cadre-rules workflow --format mermaid`"


def test_workflow_page_lists_every_transition_and_guard() -> None:
    stages = cr.load_rulebook().stages
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| [^|]* \| ([^|]*) \|$", read("workflow.md"), re.M)
    documented = {(a, b): re.findall(r"`([A-Z0-9-]+)`", guards) for a, b, guards in rows}
    actual = {(a, b): list(d.get("guards", ())) for a, b, d in stages.graph.edges(data=True)}
    assert documented == actual
    for stage in stages.titles:
        assert f"| `{stage}`" in read("workflow.md")


def test_case_format_example_is_a_valid_compliant_case() -> None:
    examples = fenced_blocks(read("case-format.md"), "yaml")
    assert examples, "case-format.md has no yaml example"
    case = cr.validate_case(safe_load(examples[0]))
    assert cr.audit(case) == []


def test_case_format_names_every_model_field() -> None:
    schema = cr.Case.model_json_schema()
    text = read("case-format.md")
    definitions = [schema] + [d for d in schema["$defs"].values() if "properties" in d]
    for definition in definitions:
        for field in definition["properties"]:
            assert re.search(rf"`(?:[\w\[\]]+\.)*{field}`", text), f"case-format.md does not mention the field {field!r}"
    for definition in schema["$defs"].values():
        for value in definition.get("enum", []):
            assert f"`{value}`" in text, f"case-format.md does not list the value {value!r}"


def test_api_page_names_the_whole_public_api() -> None:
    text = read("api.md")
    for name in cr.__all__:
        assert f"`{name}" in text, f"api.md does not describe cadre_rules.{name}"


def test_readme_has_the_exact_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest" in readme
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/cadre-rules audit examples/cases" in readme


def test_cli_configuration_examples_are_accepted(tmp_path: Path) -> None:
    """Both configuration examples of cli.md (pyproject.toml, then cadre-rules.toml) are read, and give
    audit the same defaults; the pyproject.toml form in cadre-rules.toml is refused with a hint."""
    from cadre_rules.cli.config import default_map, find_config
    from cadre_rules.errors import ConfigError

    pyproject, own = fenced_blocks(read("cli.md"), "toml")
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "cadre-rules.toml").write_text(own, encoding="utf-8")
    maps = [default_map(cli_main, *find_config(tmp_path / folder)) for folder in ("p", "o")]
    assert maps[0] == maps[1]
    assert maps[0]["audit"] == {"fail_on": "warning", "fmt": "json", "holidays": ["holidays-2027.yaml"],
                                "lang": "en", "rules_dir": "rules-local"}
    (tmp_path / "o" / "cadre-rules.toml").write_text(pyproject, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"that table is for pyproject\.toml"):
        find_config(tmp_path / "o")


def test_every_repository_path_the_pages_name_exists() -> None:
    """A file of the repository a page names in backticks (`tests/…`, `docs/…`, `examples/…`, …) is there:
    tests moved into one folder per room and four pages still named the old paths."""
    not_paths = {"examples/cases/57",  # historical.md: "examples/cases/57–61", a range of examples
                 "cadre_rules/rules"}  # rule-format.md: where the wheel installs rules/
    missing = []
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        for named in re.findall(r"`((?:tests|docs|examples|cadre_rules|rules|benchmarks|features)/[^`\s*?<>{}…]+)`",
                                page.read_text(encoding="utf-8")):
            path = named.rstrip("/").split(":")[0].split("#")[0]
            if path not in not_paths and not (ROOT / path).exists():
                missing.append(f"{page.name}: {named}")
    assert not missing, missing


def test_historical_page_shows_the_real_finding_of_example_57() -> None:
    """The finding historical.md shows (a 2007 act judged by the 2001 notice) is, key for key, the one the
    audit gives: its message had drifted (the person's name and post, 信访举报 for `petition`)."""
    shown = json.loads(fenced_blocks(read("historical.md"), "json")[0])
    case = cr.load_case(next((ROOT / "examples" / "cases").glob("57-*.yaml")))
    (finding,) = [f.to_dict() for f in cr.audit(case) if f.rule_id == shown["rule_id"]]
    assert shown == {key: finding[key] for key in shown}
