"""The personal-matters spot check: targeted people all in, a random sample of the rest, re-drawable.

On the annual corpus (organisation 中共清溪县委, 2021: cases 001, 002 promotions and 003 a rotation):
the population is the body's 11 members (m04 twice: by its identity number in 003, by body/member
id elsewhere — 12 keys) and the 3 candidates = 15 people; targeted: the 2 promotion candidates;
random: drawn from the other 13.
"""
from __future__ import annotations

import json
import shlex

import pytest
from click.testing import CliRunner

from cadre_rules.reading.cases import read_cases
from cadre_rules.cli.main import main
from cadre_rules.report.spotcheck import Population, build_population, draw, rank
from test_annual import ORG, make_annual_corpus


@pytest.fixture
def corpus(tmp_path, baseline):
    return make_annual_corpus(tmp_path, baseline)


def spot(*args: str, lang: str = "en"):
    """`spotcheck` under --lang en, whose lines these tests read (Chinese is the default: test below)."""
    return CliRunner().invoke(main, ["spotcheck", *args, "--lang", lang])


def test_population_and_targeted(corpus):
    pop = build_population(read_cases([corpus]), 2021, ORG)
    assert sorted(pop.cases) == ["2021-qx-czj-001", "2021-qx-czj-002", "2021-qx-czj-003"]
    assert len(pop.people) == 15
    assert sum(1 for k in pop.people if k.startswith("id:")) == 1  # m04 of case 003, by identity number
    d = draw(pop, seed=1, rate=0.1)
    assert [p.key for p in d.targeted] == ["2021-qx-czj-001/c1", "2021-qx-czj-002/c1"]
    assert d.size == 2  # 10% of 13, rounded up
    drawn = {p.key for _, p in d.random}
    assert not drawn & {p.key for p in d.targeted}
    assert len(pop.skipped) == 1  # the invalid case


def test_the_draw_is_the_lowest_keyed_ranks(corpus):
    pop = build_population(read_cases([corpus]), 2021, ORG)
    d = draw(pop, seed=2024, size=4)
    rest = sorted((rank(2024, k), k) for k, p in pop.people.items() if not p.targeted)
    assert [p.key for _, p in d.random] == [k for _, k in rest[:4]]


def test_same_seed_same_sample_whatever_the_input_order(corpus):
    files = sorted(str(p) for p in corpus.glob("*.json"))
    first = json.loads(spot(*files, "--year", "2021", "--org", ORG, "--seed", "7", "--size", "3",
                            "--format", "json").stdout)
    second = json.loads(spot(*reversed(files), "--year", "2021", "--org", ORG, "--seed", "7", "--size", "3",
                             "--format", "json").stdout)
    assert [p["key"] for p in first["random"]] == [p["key"] for p in second["random"]]
    assert first["population"]["fingerprint"] == second["population"]["fingerprint"]
    other = json.loads(spot(*files, "--year", "2021", "--org", ORG, "--seed", "8", "--size", "3",
                            "--format", "json").stdout)
    seeds = {tuple(p["key"] for p in json.loads(spot(*files, "--year", "2021", "--org", ORG, "--seed", str(s),
                                                      "--size", "3", "--format", "json").stdout)["random"])
             for s in range(7, 12)}
    assert len(seeds) > 1 and other["seed"] == 8


def test_prints_seed_population_sample_and_a_command_that_redraws_it(corpus):
    result = spot(str(corpus), "--year", "2021", "--org", ORG)  # no seed: a fresh one, printed
    assert result.exit_code == 2, result.output  # the corpus holds an invalid case: drawn without it, named
    assert result.stderr.startswith("invalid input, not drawn from: ")
    out = result.stdout
    seed = int(out.split("seed: ")[1].split("\n")[0])
    assert "population: 15 people, fingerprint sha256:" in out
    assert "  qx-cwh/m01  [member]" in out
    assert "targeted (重点核查, 凡提必核): 2" in out and "random (随机核查): 2 (rate 10% of 13, rounded up)" in out
    command = out.split("re-draw: ")[1].strip()
    args = shlex.split(command)
    assert args[:2] == ["cadre-rules", "spotcheck"] and f"--seed {seed}" in command
    again = CliRunner().invoke(main, args[1:])
    assert again.stdout == out  # the same draw, line for line
    for name in ("周建国", "马俊杰"):
        assert name not in out


def test_record_file_and_roster(corpus, tmp_path):
    roster = tmp_path / "roster.yaml"
    roster.write_text("- {key: staff-001}\n- {key: staff-002, targeted: true, reason: 拟提拔人选（名册）}\n",
                      encoding="utf-8")
    record = tmp_path / "draw.json"
    result = spot(str(corpus), "--year", "2021", "--org", ORG, "--roster", str(roster), "--seed", "3",
                  "--size", "14", "--record", str(record))
    assert result.exit_code == 2 and "holds another draw" not in result.output  # (the corpus's invalid case)
    doc = json.loads(record.read_text(encoding="utf-8"))
    assert doc["seed"] == 3 and doc["population"]["count"] == 17
    assert [p["key"] for p in doc["targeted"]] == ["2021-qx-czj-001/c1", "2021-qx-czj-002/c1", "staff-002"]
    assert len(doc["random"]) == 14  # everyone else: 17 - 3
    assert "--roster" in doc["command"] and "--seed 3" in doc["command"]
    # the same draw again writes the same record; another draw does not replace it (the record is its evidence)
    again = ("--year", "2021", "--org", ORG, "--roster", str(roster), "--size", "14", "--record", str(record))
    assert "holds another draw" not in spot(str(corpus), *again, "--seed", "3").output
    other = spot(str(corpus), *again, "--seed", "4")
    assert other.exit_code == 2 and f"{record} holds another draw" in other.output
    assert json.loads(record.read_text(encoding="utf-8"))["seed"] == 3
    assert "holds another draw" not in spot(str(corpus), *again, "--seed", "4", "--overwrite").output
    assert json.loads(record.read_text(encoding="utf-8"))["seed"] == 4



def test_a_roster_that_does_not_read_is_named_not_an_internal_error(corpus, tmp_path):
    """Found by fuzzing the spot check's inputs: a roster with a YAML syntax error stopped `spotcheck`
    with 'internal error: ParserError' (exit 4); a roster not in UTF-8 was refused without its name."""
    broken = tmp_path / "roster.yaml"
    broken.write_text("- {key: staff-001}\n- {key: [\n", encoding="utf-8")
    result = spot(str(corpus), "--roster", str(broken), "--seed", "1")
    assert result.exit_code == 2 and "internal error" not in result.output
    assert f"{broken}: invalid YAML: " in result.output and "(line 3, column 1)" in result.output
    latin = tmp_path / "roster-gbk.yaml"
    latin.write_bytes("- {key: 张三}\n".encode("gbk"))
    result = spot(str(corpus), "--roster", str(latin), "--seed", "1")
    assert result.exit_code == 2 and f"{latin}: cannot read: not UTF-8" in result.output
    as_json = tmp_path / "roster.json"
    as_json.write_text('[{"key": "a"},]', encoding="utf-8")
    result = spot(str(corpus), "--roster", str(as_json), "--seed", "1")
    assert result.exit_code == 2 and f"{as_json}: invalid JSON: " in result.output

def test_every_line_on_standard_error_is_said_in_chinese_by_default(corpus, tmp_path):
    """Chinese by default, as every command: the skipped input, the usage errors, the roster's
    problems and a record of another draw (each was English whatever the command's users read)."""
    said = CliRunner().invoke(main, ["spotcheck", str(corpus), "--year", "2021", "--org", ORG, "--seed", "1"])
    assert said.exit_code == 2 and said.stderr.startswith(f"输入无效，未参与抽取：{corpus / 'bad.json'}:1:"), said.stderr
    assert "：无效，共 2 个问题" in said.stderr
    both = spot("--rate", "0.1", "--size", "2", "x", lang="zh")
    assert both.exit_code == 2 and both.stderr == "只能给出 --rate 或 --size 之一，不能都给\n"
    assert spot(lang="zh").stderr == "没有可抽取的对象：请给出案例路径或 --roster\n"
    broken = tmp_path / "roster.yaml"
    broken.write_text("- {key: staff-001}\n- {key: [\n", encoding="utf-8")
    result = spot(str(corpus), "--roster", str(broken), "--seed", "1", lang="zh")
    assert result.exit_code == 2 and result.stderr.startswith(f"名册有误：{broken}：YAML 格式错误：")
    assert result.stderr.endswith("（第 3 行第 1 列）\n"), result.stderr
    entry = tmp_path / "entry.yaml"
    entry.write_text("- {name: x}\n", encoding="utf-8")
    result = spot(str(corpus), "--roster", str(entry), "--seed", "1", lang="zh")
    assert result.exit_code == 2 and result.stderr == f"名册有误：{entry}：第 1 项：应为带文字 `key` 的映射\n"
    record = tmp_path / "draw.json"
    assert spot(str(corpus), "--seed", "1", "--record", str(record), lang="zh").exit_code == 2
    other = spot(str(corpus), "--seed", "2", "--record", str(record), lang="zh")
    assert other.exit_code == 2 and other.stderr.startswith(f"错误：{record} 记录的是另一次抽取；不覆盖")


def test_usage_errors():
    assert spot("--rate", "0.1", "--size", "2", "x").exit_code == 2
    assert spot().exit_code == 2
    empty = draw(Population(None, None), seed=1)
    assert empty.random == [] and empty.size == 0


def test_an_input_that_is_not_a_case_is_exit_2_after_the_draw(corpus, tmp_path):
    """docs/cli.md: status 2 is an input that cannot be used. A mistyped path drew from nothing and
    exited 0, as if the draw were complete; now the draw over the rest is printed and recorded, the
    input named on standard error, and the status is 2. Valid inputs alone still exit 0."""
    record = tmp_path / "draw.json"
    typo = spot(str(tmp_path / "cses"), "--seed", "1", "--record", str(record))
    assert typo.exit_code == 2
    assert typo.stderr == f"invalid input, not drawn from: {tmp_path / 'cses'}: no such file or directory\n"
    assert json.loads(record.read_text(encoding="utf-8"))["population"]["skipped_inputs"]
    valid = sorted(str(p) for p in corpus.glob("*.json"))
    valid = [p for p in valid if not spot(p, "--seed", "1").stderr]
    assert valid and spot(*valid, "--seed", "1").exit_code == 0
