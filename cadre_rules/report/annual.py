"""The annual report on cadre selection work (干部选拔任用工作情况报告), in Chinese, as Markdown and .docx.

For one organisation (`Case.organisation`) and one year it states:

* selection rounds held (选拔任用工作次数): the organisation's cases whose year (`case_date`: the
  first decision meeting, else the earliest act) is the year, by kind of move;
* people appointed (任用): appointment notices dated in the year, by the level of the post filled —
  正处 (division_chief), 副处 (division_deputy), others — and the rotations (交流轮岗) and lateral
  transfers (平级交流) among them;
* personal-matters checks (个人有关事项报告查核): 重点核查 — the inspections' personal-matters checks
  dated in the year (凡提必核), with their outcomes (clear, resolved, open, concealment); 随机核查 —
  the random part of a spot-check record for the same organisation and year (`cadre-rules spotcheck
  --record`), when one is given;
* the audit findings of the year's cases by stage, and the problems found (violated findings, then
  waived ones);
* the structure of each leadership team (deciding body) met in the year's cases, at 31 December of
  the year: age tiers, gender, education and 专业 (facts/team.py says where each comes from), against
  the targets of a team profile when one is given (docs/team-structure.md);
* the accountability of each problem: the roles and the article of the accountability instrument in
  force on the act's date (rules/accountability.yaml);
* the two reviews of the year (两评议), when their record is given (docs/reviews.md): participants,
  ballots and rates, and the thresholds of rules/reviews.yaml they cross.

The supervision parts render in report/annual_supervision.py.

Every number is traceable: it carries a figure id (F1, F2, ...) whose footnote (Markdown) and
appendix row (both formats) list the case ids behind it. No name or identity number is printed.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from cadre_rules.audit.auditor import Auditor
from cadre_rules.audit.batch import BatchOptions, CaseJudge, valid_cases
from cadre_rules.reading.cases import RawCase
from cadre_rules.codes import ReportMark, Verdict
from cadre_rules.errors import ErrorKind, Problem, Said, in_language
from cadre_rules.model import Case, CheckOutcome, Level, MoveKind
from cadre_rules.report.model import case_date, case_year
from cadre_rules.report.redact import Redactor, without_names
from cadre_rules.rulebook import Rulebook
from cadre_rules.audit.waivers import WaiverSet
from cadre_rules.facts.team import (  # noqa: F401 - re-exported: birth_from_id_number, member_birth_date
    DEFAULT_TIER_BOUNDS,
    TeamStructure,
    birth_from_id_number,
    check_targets,
    member_birth_date,
    team_structure,
    tier_labels,
)
from cadre_rules.facts.reviews import ReviewFigures, review_figures
from cadre_rules.model.reviews import ReviewRecord
from cadre_rules.model.team import TeamProfile
from cadre_rules.report import annual_supervision as supervision
from cadre_rules.report.controls import shown

# Names of codes come from cadre_rules/codes.py; tallies use the full name of a check outcome.
MOVES_ZH = {move.value: move.zh for move in MoveKind}
OUTCOMES_ZH = {outcome.value: outcome.zh_full for outcome in CheckOutcome}
AGE_TIERS = tuple(tier_labels(DEFAULT_TIER_BOUNDS))
UNKNOWN_AGE = supervision.UNKNOWN_AGE
VERDICTS_ZH = {v.value: v.zh for v in (*Verdict, ReportMark.waived)}


@dataclass
class Figure:
    id: str
    label: str
    value: int
    cases: list[str]


TeamAges = TeamStructure  # the former name of a team's row


@dataclass
class AnnualReport:
    year: int
    organisation: str
    rulebook: str
    as_of: date
    figures: dict[str, Figure] = field(default_factory=dict)
    moves: dict[str, Figure] = field(default_factory=dict)
    levels: dict[str, Figure] = field(default_factory=dict)
    outcomes: dict[str, Figure] = field(default_factory=dict)
    stages: list[tuple[str, str, dict[str, int], list[str]]] = field(default_factory=list)  # id, title, counts, cases
    problems: list[dict[str, Any]] = field(default_factory=list)
    waived: list[dict[str, Any]] = field(default_factory=list)
    teams: list[TeamStructure] = field(default_factory=list)
    spotcheck: dict[str, Any] | None = None
    reviews: ReviewFigures | None = None  # the two reviews, when their record is given
    team_profile: TeamProfile | None = None
    tier_bounds: tuple[int, ...] = DEFAULT_TIER_BOUNDS
    skipped: list[str] = field(default_factory=list)
    other_year_cases: int = 0
    matched: int = 0  # cases of the organisation, any year: 0 means the filter matched nothing

    def all_figures(self) -> list[Figure]:
        out = list(self.figures.values()) + list(self.moves.values()) + list(self.levels.values()) \
            + list(self.outcomes.values())
        return sorted(out, key=lambda f: int(f.id[1:]))


def _without_names(case: Case) -> Redactor:
    """The annual report prints no name: findings name people "c1 张三（…）" (the report keeps the id),
    a waiver's reason or the case id itself may name anyone the case records (an inspection-team
    member too). The one redactor of `audit --redact`, over everything the case holds."""
    return Redactor.for_case(case.model_dump(mode="json"))


def _figure(numbering: list[int], label: str, items: list[str]) -> Figure:
    """A figure counting `items` (one entry per counted thing: a case id, repeated if it counts twice)."""
    numbering[0] += 1
    return Figure(f"F{numbering[0]}", label, len(items), sorted(set(items)))


def build_annual_report(raws: Iterable[RawCase], year: int, organisation: str, rulebook: Rulebook,
                        auditor: Auditor | None = None, waivers: WaiverSet | None = None,
                        as_of: date | None = None, spotcheck: dict[str, Any] | None = None,
                        reviews: ReviewRecord | None = None, team_profile: TeamProfile | None = None) -> AnnualReport:
    auditor = auditor or Auditor(rulebook)
    as_of = as_of or date.today()
    judge = CaseJudge(BatchOptions(as_of=as_of), rulebook, waivers, auditor)  # the batch driver's judging
    report = AnnualReport(year, organisation, rulebook.version, as_of)
    rounds: list[str] = []
    by_move: dict[str, list[str]] = defaultdict(list)
    appointed: list[str] = []
    by_level: dict[str, list[str]] = defaultdict(list)
    rotations: list[str] = []
    lateral: list[str] = []
    targeted: list[str] = []
    by_outcome: dict[str, list[str]] = defaultdict(list)
    stage_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    stage_cases: dict[str, set[str]] = defaultdict(set)
    teams: dict[str, tuple[tuple[date, str], Case]] = {}
    team_cases: dict[str, str] = {}  # body id -> the id of the case its team is taken from, as shown
    for case in valid_cases(raws, report.skipped, without_names):
        if case.organisation != organisation:
            continue
        report.matched += 1
        in_year = case_year(case) == year
        unnamed = _without_names(case)
        shown = unnamed.text(case.id)  # a case id may hold a name: 2021-张三-001 → 2021-〔c1〕-001
        for notice in case.appointments:
            if notice.date.year == year:
                appointed.append(shown)
                level = case.post.level.value if case.post.level else "unknown"
                by_level[level].append(shown)
                if case.move.value == "rotation":
                    rotations.append(shown)
                elif case.move.value == "lateral_transfer":
                    lateral.append(shown)
        for ins in case.inspections:
            check = ins.personal_matters
            if check is not None and check.date.year == year:
                targeted.append(shown)
                by_outcome[check.outcome.value].append(shown)
        if not in_year:
            report.other_year_cases += 1
            continue
        rounds.append(shown)
        by_move[case.move.value].append(shown)
        key = (case_date(case) or date.min, case.id)
        if case.body.id not in teams or key > teams[case.body.id][0]:
            teams[case.body.id] = (key, case)
            team_cases[case.body.id] = shown
        judged = judge.judge_valid(case, case.id)  # waivers name the real id
        if judged.result.status == "invalid":  # the engine failed on this case: say so, count the rest
            report.skipped.append(Problem(ErrorKind.judging_failed_left_out, case=shown))
        for f in judged.result.findings:
            stage_counts[f.stage][f.verdict] += 1
            stage_cases[f.stage].add(shown)
            entry = {"case": shown, "rule": f.rule_id, "title": f.title["zh"], "message": unnamed.text(f.message["zh"]),
                     "citation": f.citation["zh"], "stage": f.stage, "severity": f.severity,
                     "accountability": rulebook.accountability.for_finding(f.rule_id, f.stage, f.act_date),
                     "accountability_note": rulebook.accountability.unmapped_reason(f.act_date)}
            if f.verdict == "violated":
                report.problems.append(entry)
            elif f.verdict == "waived":
                waiver = getattr(f, "waiver", None) or {}
                reason = waiver.get("reason")
                report.waived.append({**entry, "reason": unnamed.text(reason) if isinstance(reason, str) else reason,
                                      "expires": waiver.get("expires")})
    n = [0]
    report.figures["rounds"] = _figure(n, "开展干部选拔任用工作（次）", rounds)
    for move in MOVES_ZH:
        report.moves[move] = _figure(n, f"其中{MOVES_ZH[move]}（次）", by_move.get(move, []))
    report.figures["appointed"] = _figure(n, "任用干部（人）", appointed)
    for level, label in ((Level.division_chief.value, "正处级"), (Level.division_deputy.value, "副处级")):
        report.levels[level] = _figure(n, f"任用{label}干部（人）", by_level.get(level, []))
    others = [c for lv, ids in by_level.items() if lv not in (Level.division_chief.value, Level.division_deputy.value)
              for c in ids]
    report.levels["other"] = _figure(n, "任用其他层级干部（人）", others)
    report.figures["rotations"] = _figure(n, "交流轮岗（人）", rotations)
    report.figures["lateral"] = _figure(n, "平级交流（人）", lateral)
    report.figures["targeted"] = _figure(n, "个人有关事项报告重点核查（人次）", targeted)
    for outcome in CheckOutcome:
        report.outcomes[outcome.value] = _figure(n, f"重点核查{OUTCOMES_ZH[outcome.value]}（人次）",
                                                 by_outcome.get(outcome.value, []))
    if spotcheck is not None:
        shape = spotcheck_shape_problem(spotcheck)
        if shape is not None:
            raise ValueError(shape)
        if spotcheck.get("year") != year or spotcheck.get("organisation") != organisation:
            raise ValueError(Problem(ErrorKind.record_for_another_year, what=Said("spot-check", "抽查记录"),
                                     year=spotcheck.get("year"), organisation=spotcheck.get("organisation"),
                                     want_year=year, want_organisation=organisation))
        random_cases = [c for p in spotcheck.get("random", []) for c in (p.get("cases") or ["（名册）"])[:1]]
        report.figures["random"] = _figure(n, "个人有关事项报告随机核查（人）", random_cases)
        report.spotcheck = spotcheck
    order = rulebook.stages.order
    titles = rulebook.stages.titles
    for stage in sorted(stage_counts, key=lambda s: order.get(s, 99)):
        report.stages.append((stage, titles.get(stage, {}).get("zh", stage), dict(stage_counts[stage]),
                              sorted(stage_cases[stage])))
    ref = date(year, 12, 31)
    if team_profile is not None:
        report.team_profile, report.tier_bounds = team_profile, tuple(team_profile.age_tiers)
    for body_id in sorted(teams):
        team = team_structure(teams[body_id][1], ref, report.tier_bounds)
        team.case_id = team_cases[body_id]
        if team_profile is not None:
            team.checks = check_targets(team, team_profile)
        report.teams.append(team)
    if reviews is not None:
        if reviews.year != year or reviews.organisation != organisation:
            raise ValueError(Problem(ErrorKind.record_for_another_year, what=Said("two-reviews", "两评议记录"),
                                     year=reviews.year, organisation=reviews.organisation,
                                     want_year=year, want_organisation=organisation))
        report.reviews = review_figures(reviews, rulebook.review_thresholds)
    return report


# ---- Markdown ----

_RECORD = Said("the record", "该记录")
_OBJECT = Said("a JSON object", "一个 JSON 对象")


def spotcheck_shape_problem(record: Any) -> Problem | None:
    """What in a spot-check record (read from JSON as given to `report annual --spotcheck`) is not of
    the shape `spotcheck --record` writes, as far as this report reads it; None when it is. Why here:
    the record is plain JSON, and a list or a hand-edited field (a roster file given by mistake, a
    `random` entry that is text) stopped the report with an internal error."""
    if not isinstance(record, dict):
        return Problem(ErrorKind.spotcheck_record_shape, field=_RECORD, want=_OBJECT)
    # absent is allowed (the report prints "?"), null is not: `spotcheck --record` never writes it
    if "population" in record and not isinstance(record["population"], dict):
        return Problem(ErrorKind.spotcheck_record_shape, field="population", want=_OBJECT)
    drawn = record.get("random", [])
    if not isinstance(drawn, list):
        return Problem(ErrorKind.spotcheck_record_shape, field="random",
                       want=Said("a list of the people drawn", "抽中人员的列表"))
    for i, person in enumerate(drawn):
        if not isinstance(person, dict):
            return Problem(ErrorKind.spotcheck_record_shape, field=f"random[{i}]", want=_OBJECT)
        cases = person.get("cases")
        if cases is not None and not (isinstance(cases, list) and all(isinstance(c, str) for c in cases)):
            return Problem(ErrorKind.spotcheck_record_shape, field=f"random[{i}].cases",
                           want=Said("a list of case ids", "案例编号的列表"))
    return None


def _ref(fig: Figure) -> str:
    return f"{fig.value}[^{fig.id}]"


def render_markdown(r: AnnualReport) -> str:
    f, mv, lv, oc = r.figures, r.moves, r.levels, r.outcomes
    moves = "、".join(f"{MOVES_ZH[m]} {_ref(mv[m])} 次" for m in MOVES_ZH)
    lines = [
        f"# {r.organisation}{r.year}年度干部选拔任用工作情况报告",
        "",
        f"> 本报告由 cadre-rules 依据案例记录生成。统计范围：单位“{r.organisation}”、{r.year}年度的选拔任用案例"
        f"（以首次讨论决定会议日期定年度）。规则库版本 `{r.rulebook}`，审计基准日 {r.as_of.isoformat()}。"
        "每个数字后的脚注列出其所依据的案例编号。",
        "",
        "## 一、干部选拔任用工作基本情况",
        "",
        f"{r.year}年，{r.organisation}共开展干部选拔任用工作 {_ref(f['rounds'])} 次，其中{moves}。",
        "",
        f"全年任用干部 {_ref(f['appointed'])} 人（以任职通知日期计），其中正处级 {_ref(lv['division_chief'])} 人、"
        f"副处级 {_ref(lv['division_deputy'])} 人、其他层级 {_ref(lv['other'])} 人；"
        f"交流轮岗 {_ref(f['rotations'])} 人，平级交流 {_ref(f['lateral'])} 人。",
        "",
        "## 二、个人有关事项报告查核情况",
        "",
        f"对拟提拔、进一步使用人选落实“凡提必核”，重点核查 {_ref(f['targeted'])} 人次，其中"
        + "、".join(f"{OUTCOMES_ZH[k]} {_ref(oc[k])} 人次" for k in OUTCOMES_ZH) + "。",
        "",
    ]
    if "random" in f:
        sc = r.spotcheck or {}
        lines += [f"随机核查 {_ref(f['random'])} 人（从 {sc.get('population', {}).get('count', '?')} 人中随机抽取，"
                  f"抽样种子 {sc.get('seed')}，总体指纹 `{sc.get('population', {}).get('fingerprint', '')}`；"
                  f"复现命令：`{sc.get('command') or ''}`）。", ""]
    else:
        lines += ["随机核查：未提供抽查记录（`cadre-rules spotcheck --record`），本报告不统计。", ""]
    lines += supervision.team_markdown(r)
    lines += ["## 四、审计发现（按工作环节）", ""]
    if r.stages:
        lines += ["| 环节 | " + " | ".join(VERDICTS_ZH.values()) + " | 涉及案例 |", "|---|---:|---:|---:|---:|---|"]
        for _, title, counts, cases in r.stages:
            lines.append(f"| {title} | " + " | ".join(str(counts.get(v, 0)) for v in VERDICTS_ZH)
                         + f" | {'、'.join(cases)} |")
        lines.append("")
    else:
        lines += ["本年度案例未发现违规、待定或无法判断的事项。", ""]
    lines += ["## 五、发现的问题", ""]
    if r.problems:
        for i, p in enumerate(r.problems, start=1):
            lines.append(f"{i}. 【{p['case']}】{p['title']}：{p['message']}（{p['citation']}）")
            if p.get("accountability"):
                lines.append(f"   {supervision.accountability_text(p['accountability'])}")
            elif p.get("accountability_note"):
                lines.append(f"   责任追究：{p['accountability_note']}")
    else:
        lines.append("未发现违规问题。")
    if r.waived:
        lines += ["", "经批准豁免的事项："]
        for i, p in enumerate(r.waived, start=1):
            lines.append(f"{i}. 【{p['case']}】{p['title']}：{p['message']}（豁免理由：{p['reason']}，有效期至 {p['expires']}）")
    lines += [""] + supervision.reviews_markdown(r, "六、“两评议”情况")
    lines += ["## 附录 数据来源", "", "| 编号 | 项目 | 数值 | 依据案例 |", "|---|---|---:|---|"]
    for fig in r.all_figures():
        lines.append(f"| {fig.id} | {fig.label} | {fig.value} | {'、'.join(fig.cases) or '—'} |")
    if r.skipped:
        lines += ["", f"未纳入统计的无效输入 {len(r.skipped)} 件：", ""] + [f"- {in_language(s, 'zh')}" for s in r.skipped]
    lines.append("")
    for fig in r.all_figures():
        lines.append(f"[^{fig.id}]: {fig.label}：{'、'.join(fig.cases) if fig.cases else '无'}")
    return shown("\n".join(lines) + "\n")  # the cases' text as recorded, its control characters shown


# ---- .docx ----

def render_docx(r: AnnualReport, path: str | Path, template: str | Path | None = None) -> None:
    """The same report as a Word document in the official-document form (GB/T 9704), on the bundled
    template or a department's own (report/official.py); figure ids 〔F1〕 point to the appendix."""
    from cadre_rules.report.official import OfficialDocument

    def ref(fig: Figure) -> str:
        return f"{fig.value}〔{fig.id}〕"

    f, mv, lv, oc = r.figures, r.moves, r.levels, r.outcomes
    doc = OfficialDocument(template)
    doc.title(f"{r.organisation}{r.year}年度干部选拔任用工作情况报告")
    doc.note(f"统计范围：单位“{r.organisation}”、{r.year}年度的选拔任用案例（以首次讨论决定会议日期定年度）。"
               f"规则库版本 {r.rulebook}，审计基准日 {r.as_of.isoformat()}。〔F…〕所标数字的依据案例见附录。")
    doc.heading("一、干部选拔任用工作基本情况")
    doc.para(f"{r.year}年，{r.organisation}共开展干部选拔任用工作 {ref(f['rounds'])} 次，其中"
               + "、".join(f"{MOVES_ZH[m]} {ref(mv[m])} 次" for m in MOVES_ZH) + "。")
    doc.para(f"全年任用干部 {ref(f['appointed'])} 人（以任职通知日期计），其中正处级 {ref(lv['division_chief'])} 人、"
               f"副处级 {ref(lv['division_deputy'])} 人、其他层级 {ref(lv['other'])} 人；交流轮岗 {ref(f['rotations'])} 人，"
               f"平级交流 {ref(f['lateral'])} 人。")
    doc.heading("二、个人有关事项报告查核情况")
    doc.para(f"对拟提拔、进一步使用人选落实“凡提必核”，重点核查 {ref(f['targeted'])} 人次，其中"
               + "、".join(f"{OUTCOMES_ZH[k]} {ref(oc[k])} 人次" for k in OUTCOMES_ZH) + "。")
    if "random" in f:
        sc = r.spotcheck or {}
        doc.para(f"随机核查 {ref(f['random'])} 人（从 {sc.get('population', {}).get('count', '?')} 人中随机抽取，"
                   f"抽样种子 {sc.get('seed')}，总体指纹 {sc.get('population', {}).get('fingerprint', '')}）。")
    else:
        doc.para("随机核查：未提供抽查记录，本报告不统计。")
    supervision.team_docx(doc, r)
    doc.heading("四、审计发现（按工作环节）")
    if r.stages:
        doc.table(["环节", *VERDICTS_ZH.values(), "涉及案例"],
               [[title, *(str(counts.get(v, 0)) for v in VERDICTS_ZH), "、".join(cases)]
                for _, title, counts, cases in r.stages])
    else:
        doc.para("本年度案例未发现违规、待定或无法判断的事项。")
    doc.heading("五、发现的问题")
    if r.problems:
        for i, p in enumerate(r.problems, start=1):
            doc.para(f"{i}. 【{p['case']}】{p['title']}：{p['message']}（{p['citation']}）")
            if p.get("accountability"):
                doc.note(supervision.accountability_text(p["accountability"]))
            elif p.get("accountability_note"):
                doc.note(f"责任追究：{p['accountability_note']}")
    else:
        doc.para("未发现违规问题。")
    if r.waived:
        doc.para("经批准豁免的事项：")
        for i, p in enumerate(r.waived, start=1):
            doc.para(f"{i}. 【{p['case']}】{p['title']}：{p['message']}（豁免理由：{p['reason']}，有效期至 {p['expires']}）")
    supervision.reviews_docx(doc, r, "六、“两评议”情况")
    doc.heading("附录 数据来源")
    doc.table(["编号", "项目", "数值", "依据案例"],
           [[fig.id, fig.label, str(fig.value), "、".join(fig.cases) or "—"] for fig in r.all_figures()])
    if r.skipped:
        doc.para(f"未纳入统计的无效输入 {len(r.skipped)} 件：")
        for s in r.skipped:
            doc.note(in_language(s, "zh"))
    doc.save(path, f"{r.organisation}{r.year}年度干部选拔任用工作情况报告")
