"""The departure check (离任检查) of a unit's principal leader: what the register and the audited cases show.

The 2010 measures on the departure check of city and county Party secretaries (市县党委书记履行干部选拔
任用工作职责离任检查办法（试行）, Art 5, read at [S35]) list what the check looks at; the report follows
those six headings and says under each what the data establishes and what only the check team can
establish (self-report, democratic review, interviews). Why a report and not a rule: the check is a
procedure of the superior department; the register rules (the departure window, the quota) and the
per-case rules supply its findings.

Cadres appointed are named by case id and post only (personal data); the leader is named, being the
subject of the check.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

from cadre_rules.audit.auditor import Auditor
from cadre_rules.audit.register import AppointmentSpool, RegisterJudge
from cadre_rules.codes import LeaderRole, MoveKind
from cadre_rules.engine.findings import Finding
from cadre_rules.errors import ErrorKind, InputError, Problem, RegisterError
from cadre_rules.facts.crosscase import CaseAppointment, acted_within, appointment_rows
from cadre_rules.facts.periods import act_days, previous_day
from cadre_rules.model import Case
from cadre_rules.model.register import LeaderTenure, Register, Unit
from cadre_rules.report.annual_supervision import accountability_text
from cadre_rules.rulebook import AccountabilityMap, Rulebook
from cadre_rules.report.controls import shown

#: The six headings of Art 5 of the 2010 departure-check measures (paraphrased), and what data can speak to each.
HEADINGS = (
    ("一、贯彻执行党的干部路线方针政策情况", "policy"),
    ("二、任职期间选拔任用干部情况", "appointments"),
    ("三、任职期间用人风气情况", "climate"),
    ("四、遵守组织人事纪律情况，特别是离任前有无突击提拔调整干部", "discipline"),
    ("五、加强干部监督管理工作情况", "supervision"),
    ("六、其他应当检查的情况", "other"),
)
BASIS = "《市县党委书记履行干部选拔任用工作职责离任检查办法（试行）》（2010年）第5条、第6条"
TEAM_ONLY = "本项需结合本人报告、民主评议、个别访谈和查阅材料认定，台账和案卷数据不足以判断。"


@dataclass
class DepartureReport:
    unit: Unit
    tenure: LeaderTenure
    leader_name: str
    as_of: date
    during: list[CaseAppointment] = field(default_factory=list)  # in the tenure surely, or on some day of the row's month
    in_window: list[CaseAppointment] = field(default_factory=list)
    # rows dated to the month only whose day decides whether they fall in the tenure (`during`) or the
    # window (`in_window`): listed and marked, counted apart, never placed on the month's first day
    unsure: dict[str, set[tuple[str, str, str]]] = field(default_factory=lambda: {"during": set(), "in_window": set()})
    window: tuple[date, date | None] | None = None
    discipline: list[Finding] = field(default_factory=list)  # cross-case violations (the window, the quota) in the tenure
    case_findings: list[tuple[str, Finding]] = field(default_factory=list)  # violated findings of the tenure's cases
    other: list[Finding] = field(default_factory=list)  # the unit's other cross-case findings (tenure, retirement)
    post_titles: dict[str, str] = field(default_factory=dict)
    accountability: AccountabilityMap = field(default_factory=AccountabilityMap)  # rules/accountability.yaml

    def is_unsure(self, row: CaseAppointment, table: str) -> bool:
        """Whether the row's month leaves it to the day whether it falls in the period of `table`
        (`during`, `in_window`)."""
        return _key(row) in self.unsure[table]

    def _unsure_note(self, table: str) -> str:
        unsure = len(self.unsure[table])
        return f"；另有 {unsure} 人次的决定日期只记录到月，是否在此期间内取决于具体日期" if unsure else ""

    def responsible(self, f: Finding) -> str:
        """'；责任追究：…' — who answers for a violated finding under the instrument in force on its act
        date (the 2010 责任追究办法 before 2019-05-27, the 2019 办法 from then), or why nothing is mapped."""
        text = accountability_text(self.accountability.for_finding(f.rule_id, f.stage, f.act_date))
        if not text:
            reason = self.accountability.unmapped_reason(f.act_date)
            text = f"责任追究：{reason}" if reason else ""
        return f"；{text}" if text else ""

    @property
    def period_end(self) -> date:
        return self.tenure.end or self.as_of

    def conclusion(self, key: str) -> list[str]:
        """The lines under a heading: what the data shows, or that the check team must establish it."""
        if key in ("policy", "climate"):
            return [TEAM_ONLY]
        if key == "appointments":
            sure = [r for r in self.during if not self.is_unsure(r, "during")]
            promotions = sum(1 for r in sure if r.move == MoveKind.promotion.value)
            return [f"任职期间（{self.tenure.start}至{self.period_end}），经审查的案卷共作出任用决定 {len(sure)} 人次，"
                    f"其中提拔 {promotions} 人次、其他任用 {len(sure) - promotions} 人次"
                    f"{self._unsure_note('during')}（明细见附表一）。"]
        if key == "discipline":
            lines = []
            if self.window:
                opened, closed = self.window
                sure = sum(1 for r in self.in_window if not self.is_unsure(r, "in_window"))
                lines.append(f"离任于 {opened} 明确，继任者 {closed or '尚未'} 到任；其间作出任用决定 {sure} 人次"
                             f"{self._unsure_note('in_window')}（明细见附表二）。")
            else:
                lines.append("台账未记录离任明确日期，无法划定离任前窗口。")
            lines += [f"【{f.rule_id}】{f.message['zh']}（依据：{f.citation['zh']}）{self.responsible(f)}" for f in self.discipline]
            lines.append(f"结论：发现 {len(self.discipline)} 项违反组织人事纪律的问题。" if self.discipline
                         else "结论：台账和案卷未显示突击提拔调整或超职数配备。")
            return lines
        if key == "supervision":
            if not self.case_findings:
                return ["任职期间经审查的案卷未发现违规事项。"]
            return [f"案卷 {case_id}：【{f.rule_id}】{f.message['zh']}{self.responsible(f)}" for case_id, f in self.case_findings]
        return [f"【{f.rule_id}】{f.message['zh']}" for f in self.other] or ["台账未显示其他需提示的事项。"]


def _tenure(unit: Unit, leader: str, source: str) -> LeaderTenure:
    tenures = [t for t in unit.leaders if t.person == leader]
    if not tenures:
        raise RegisterError([InputError("units", Problem(ErrorKind.no_tenure_of_leader, unit=unit.id, leader=leader))], source)
    return tenures[-1]


def build_departure_report(register: Register, cases: Iterable[Case], rulebook: Rulebook, leader: str, org: str,
                           source: str = "") -> DepartureReport:
    """The departure check of `leader` in unit `org`: the cases are judged (each alone and across cases)."""
    index = next((i for i, u in enumerate(register.units) if u.id == org), None)
    if index is None:
        raise RegisterError([InputError("units", Problem(ErrorKind.unit_not_in_register, unit=org))], source)
    unit = register.units[index]
    tenure = _tenure(unit, leader, source)
    person = next((p for p in register.people if p.id == leader), None)
    end = tenure.end or register.as_of
    auditor = Auditor(rulebook)
    report = DepartureReport(unit, tenure, person.name if person else leader, register.as_of,
                             post_titles={p.id: p.title for p in unit.posts}, accountability=rulebook.accountability)
    with AppointmentSpool() as spool:
        for case in cases:
            if case.organisation != org:
                continue
            rows = appointment_rows(case)
            spool.add(rows)
            if any(acted_within(r, tenure.start, end) is not False for r in rows):
                report.case_findings += [(case.id, f) for f in auditor.findings(case)
                                         if f.verdict == "violated" and f.severity == "violation"]
        rows = spool.rows(org)
        result = RegisterJudge(rulebook).judge_unit(register, index, rows)
    during = {_key(r): acted_within(r, tenure.start, end) for r in rows}
    report.during = sorted((r for r in rows if during[_key(r)] is not False), key=lambda r: (r.acted, r.case_id))
    report.unsure["during"] = {k for k, within in during.items() if within is None}
    if tenure.departure_decided:
        closed = tenure.successor_in_office or tenure.end
        report.window = (tenure.departure_decided, closed)
        last = previous_day(closed) if closed is not None else None  # the successor's first day is outside it
        window = {_key(r): acted_within(r, tenure.departure_decided, last) for r in report.during}
        report.in_window = [r for r in report.during if window[_key(r)] is not False]
        report.unsure["in_window"] = {k for k, within in window.items() if within is None}
    for f in result.findings:
        if f.severity == "violation":  # breaches of discipline; tenure and retirement notes are warnings
            if f.act_date and _may_fall_within(f.act_date, tenure.start, end):
                report.discipline.append(f)
        else:
            report.other.append(f)
    return report


def _key(row: CaseAppointment) -> tuple[str, str, str]:
    return row.case_id, row.candidate, row.post


def _may_fall_within(act_date: str, first: date, last: date) -> bool:
    """Whether a finding's act date (a day, a month when only the month is known, a range) may fall
    from `first` to `last`."""
    days = act_days(act_date)
    return days is not None and first <= days[1] and days[0] <= last


_UNSURE = "（只记录到月，是否在期间内取决于具体日期）"


def _rows(report: DepartureReport, table: str) -> list[list[str]]:
    rows: list[CaseAppointment] = getattr(report, table)
    return [[r.case_id, report.post_titles.get(r.post, r.post), MoveKind(r.move).zh if MoveKind.lookup(r.move) else r.move,
             (r.decided.isoformat() if r.decided else "—") + (_UNSURE if report.is_unsure(r, table) else ""),
             r.start.isoformat()] for r in rows]


_HEADER = ["案卷", "职务", "任用方式", "决定日期", "任职日期"]
TABLES = (("附表一 任职期间任用干部", "during"), ("附表二 离任明确后至继任者到任期间任用干部", "in_window"))


def title(report: DepartureReport) -> str:
    role = LeaderRole(report.tenure.role).zh
    return f"{report.unit.name}{role}{report.leader_name}履行干部选拔任用工作职责离任检查情况报告"


def render_markdown(report: DepartureReport) -> str:
    out = [f"# {title(report)}", "",
           f"检查对象：{report.leader_name}（{LeaderRole(report.tenure.role).zh}，任职 {report.tenure.start} 至 "
           f"{report.tenure.end or '今'}）；台账截至 {report.as_of}。", "", f"检查依据：{BASIS}。", ""]
    for heading, key in HEADINGS:
        out += [f"## {heading}", ""] + [f"- {line}" for line in report.conclusion(key)] + [""]
    for caption, table in TABLES:
        out += [f"## {caption}", ""]
        if getattr(report, table):
            out += ["| " + " | ".join(_HEADER) + " |", "|" + "---|" * len(_HEADER)]
            out += ["| " + " | ".join(row) + " |" for row in _rows(report, table)]
        else:
            out.append("无。")
        out.append("")
    out.append("说明：本报告由 cadre-rules 根据组织机构台账和经审查的选拔任用案卷生成；“需结合……认定”的事项由检查组按检查程序认定。")
    return shown("\n".join(out) + "\n")


def render_docx(report: DepartureReport, path: str | Path, template: str | Path | None = None) -> None:
    from cadre_rules.report.official import OfficialDocument

    doc = OfficialDocument(template)
    doc.title(title(report))
    doc.para(f"检查对象：{report.leader_name}（{LeaderRole(report.tenure.role).zh}，任职 {report.tenure.start} 至 "
             f"{report.tenure.end or '今'}）；台账截至 {report.as_of}。")
    doc.para(f"检查依据：{BASIS}。")
    for heading, key in HEADINGS:
        doc.heading(heading)
        for line in report.conclusion(key):
            doc.para(line)
    for caption, table in TABLES:
        doc.heading(caption)
        if getattr(report, table):
            doc.table(_HEADER, _rows(report, table))
        else:
            doc.para("无。")
    doc.note("说明：本报告由 cadre-rules 根据组织机构台账和经审查的选拔任用案卷生成；“需结合……认定”的事项由检查组按检查程序认定。")
    doc.save(path, title(report))


__all__ = ["DepartureReport", "HEADINGS", "build_departure_report", "render_docx", "render_markdown", "title"]
