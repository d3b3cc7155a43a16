"""The supervision parts of the annual report, kept apart from report/annual.py: the structure of the
leadership teams (班子梯次结构, facts/team.py) against a team profile, the two reviews (两评议,
facts/reviews.py) with the thresholds they cross, and the accountability line of each problem
(rules/accountability.yaml). Each part renders to Markdown lines and onto an OfficialDocument (.docx).
"""
from __future__ import annotations

from typing import Any

from cadre_rules.codes import EducationLevel, Gender, ReviewForm
from cadre_rules.facts.reviews import FAVOURABLE, OPTION_NAMES, ReviewFigures, Tally, percent
from cadre_rules.facts.team import UNKNOWN, UNKNOWN_AGE, TeamStructure, tier_labels

STATUS_ZH = {"met": "达到", "not_met": "未达到", "unknown": "无法判断（数据不全）"}
FAVOURABLE_ZH = {ReviewForm.work: "满意率（含基本满意）", ReviewForm.appointee: "认可率（含基本认可）"}


# ---- accountability ----

def accountability_text(entry: dict[str, Any] | None) -> str:
    """'责任追究：主要负责人（《…》第4条(2)）；党委（党组）（…）' — or '' when nothing is mapped."""
    if not entry:
        return ""
    return "责任追究：" + "；".join(f"{'、'.join(names)}（{cite}）" for cite, names in grouped(entry, "zh"))


def grouped(entry: dict[str, Any], lang: str) -> list[tuple[str, list[str]]]:
    """The parties of an accountability entry grouped by citation, in order of first appearance."""
    out: dict[str, list[str]] = {}
    for p in entry["parties"]:
        out.setdefault(p["citation"][lang], []).append(p["name"][lang])
    return list(out.items())


# ---- team structure ----

def _tier_header(bounds: tuple[int, ...]) -> list[str]:
    return [label for label, _, _ in tier_labels(bounds)] + [UNKNOWN_AGE]


def team_rows(teams: list[TeamStructure], bounds: tuple[int, ...]) -> tuple[list[str], list[list[str]]]:
    header = ["领导班子", "成员数", *_tier_header(bounds), "平均年龄", "依据案例"]
    rows = [[t.body_name, str(t.members), *(str(t.tiers[k]) for k in _tier_header(bounds)[:-1]),
             str(t.tiers[UNKNOWN_AGE]), f"{t.average}" if t.average is not None else "—", t.case_id] for t in teams]
    return header, rows


def composition_rows(teams: list[TeamStructure]) -> tuple[list[str], list[list[str]]]:
    header = ["领导班子", "男", "女", "性别不详", "研究生", "大学本科", "大专及以下", "学历不详", "专业分布"]
    rows = []
    for t in teams:
        grad = t.education[EducationLevel.master.value] + t.education[EducationLevel.doctor.value]
        lower = (t.education[EducationLevel.college.value] + t.education[EducationLevel.secondary.value]
                 + t.education[EducationLevel.junior.value])
        spread = "、".join(f"{k} {n}" for k, n in t.specialties.items() if k != UNKNOWN) or "—"
        if t.specialties.get(UNKNOWN):
            spread += f"（不详 {t.specialties[UNKNOWN]}）"
        rows.append([t.body_name, str(t.gender[Gender.male.value]), str(t.gender[Gender.female.value]),
                     str(t.gender[UNKNOWN]), str(grad), str(t.education[EducationLevel.bachelor.value]), str(lower),
                     str(t.education[UNKNOWN]), spread])
    return header, rows


def target_rows(teams: list[TeamStructure]) -> tuple[list[str], list[list[str]]]:
    header = ["领导班子", "指标", "目标", "实际", "结果", "目标依据"]
    rows = [[t.body_name, c.label, c.wanted, c.actual, STATUS_ZH[c.status], c.source] for t in teams for c in t.checks]
    return header, rows


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def team_markdown(r: Any) -> list[str]:
    lines = ["## 三、领导班子结构", ""]
    if not r.teams:
        return lines + ["本年度无案例，未统计。", ""]
    bounds = r.tier_bounds
    lines += ["### （一）年龄结构", ""] + _md_table(*team_rows(r.teams, bounds))
    lines += ["", f"年龄按{r.year}年12月31日计算；出生日期取自案例 `meta.member_birth_dates`、成员记录的出生日期，"
              "缺失时取自身份证号码。", "", "### （二）性别、学历和专业结构", ""] + _md_table(*composition_rows(r.teams))
    lines += ["", "性别取自 `meta.member_profiles`，缺失时取自身份证号码；学历、专业取自 `meta.member_profiles`。", ""]
    notes = [n for t in r.teams for n in t.notes]
    if notes:
        lines += ["未能读取的成员信息：" + "；".join(notes), ""]
    if r.team_profile is not None:
        lines += [f"### （三）对照班子结构目标（{r.team_profile.title}）", ""]
        header, rows = target_rows(r.teams)
        lines += (_md_table(header, rows) if rows else ["目标均不适用于本年度涉及的领导班子。"]) + [""]
    else:
        lines += ["未提供班子结构目标文件（`--team-profile`），不作对照。", ""]
    return lines


def team_docx(doc: Any, r: Any) -> None:
    doc.heading("三、领导班子结构")
    if not r.teams:
        doc.para("本年度无案例，未统计。")
        return
    doc.heading("（一）年龄结构", 2)
    doc.table(*team_rows(r.teams, r.tier_bounds))
    doc.note(f"年龄按{r.year}年12月31日计算。")
    doc.heading("（二）性别、学历和专业结构", 2)
    doc.table(*composition_rows(r.teams))
    if r.team_profile is not None:
        doc.heading(f"（三）对照班子结构目标（{r.team_profile.title}）", 2)
        header, rows = target_rows(r.teams)
        if rows:
            doc.table(header, rows)
        else:
            doc.para("目标均不适用于本年度涉及的领导班子。")


# ---- the two reviews ----

def _options(tally: Tally) -> str:
    names = OPTION_NAMES[tally.form]
    return "、".join(f"{names[k]} {n} 票（{percent(tally.rates[k])}）" for k, n in tally.counts.items())


LOCAL_MARK = "〔本地参数〕"
#: The footnote under the flags: where the figures come from (rules/reviews.yaml figure.kind).
FIGURE_NOTE = ("标〔本地参数〕的比例：所读文件（2010年责任追究办法第9条、一报告两评议办法第1—5条）只说“满意度明显偏低”，"
               "未给出具体比例，该比例为本地参数（本项目默认值，可在规则库配置 profile 的 review_thresholds 中设定）；"
               "标〔阈值未核实〕的比例来源未核实。")


def review_rows(f: ReviewFigures) -> tuple[list[str], list[list[str]]]:
    header = ["评议对象", "有效票", "认可（满意）", "基本认可（基本满意）", "不认可（不满意）", "不了解", "好评率", "提示"]
    rows = []
    for t in [f.work, *f.appointees]:
        label = "选人用人工作" if t.form == ReviewForm.work else f"{t.subject}（{t.post}）"
        c = list(t.counts.values())
        rows.append([label, str(t.valid), *(f"{n}（{percent(t.rates[k])}）" for k, n in zip(t.counts, c)),
                     percent(t.rates[FAVOURABLE]), "、".join(fl.title["zh"] for fl in t.flags) or "—"])
    return header, rows


def review_summary(f: ReviewFigures) -> list[str]:
    out = [f"{f.year}年度“一报告两评议”于 {f.date}{' 在' + f.meeting if f.meeting else ' '}进行，应参加 {f.expected} 人，"
           f"实参加 {f.present} 人（参评率 {percent(f.turnout)}）。",
           f"对选人用人工作的评议：有效票 {f.work.valid} 张，{_options(f.work)}，"
           f"{FAVOURABLE_ZH[ReviewForm.work]} {percent(f.work.rates[FAVOURABLE])}。",
           f"对新选拔任用干部 {len(f.appointees)} 人进行评议"
           + (f"，{len([t for t in f.appointees if t.flags])} 人触及提示阈值。" if f.appointees else "。")]
    return out + f.notes


def flag_lines(f: ReviewFigures) -> list[str]:
    out = []
    for t in [f.work, *f.appointees]:
        who = "选人用人工作" if t.form == ReviewForm.work else f"新选拔任用干部 {t.subject}（{t.post}）"
        for fl in t.flags:
            side = "高于" if fl.bound == "above" else "低于"
            mark = LOCAL_MARK if fl.kind == "local" else ("〔阈值未核实〕" if fl.confidence != "high" else "")
            out.append(f"【{fl.threshold_id}】{who}：{fl.title['zh']}，{percent(fl.rate)}{side}{fl.value}{mark}。"
                       f"后续：{fl.follow_up['zh']}")
    return out


def reviews_markdown(r: Any, heading: str) -> list[str]:
    lines = [f"## {heading}", ""]
    f = r.reviews
    if f is None:
        return lines + ["未提供“两评议”记录（`--reviews`），本报告不统计。", ""]
    lines += review_summary(f) + [""] + _md_table(*review_rows(f)) + [""]
    flags = flag_lines(f)
    lines += (["需要跟进的事项："] + [f"{i}. {x}" for i, x in enumerate(flags, 1)]) if flags else ["各项评议结果均未触及提示阈值。"]
    lines += ["", "比率以有效票（含“不了解”，不含废票）为分母；提示阈值及其依据见规则库 `rules/reviews.yaml`。" + FIGURE_NOTE, ""]
    return lines


def reviews_docx(doc: Any, r: Any, heading: str) -> None:
    doc.heading(heading)
    f = r.reviews
    if f is None:
        doc.para("未提供“两评议”记录，本报告不统计。")
        return
    for line in review_summary(f):
        doc.para(line)
    doc.table(*review_rows(f))
    flags = flag_lines(f)
    if flags:
        doc.para("需要跟进的事项：")
        for i, x in enumerate(flags, 1):
            doc.para(f"{i}. {x}")
    else:
        doc.para("各项评议结果均未触及提示阈值。")
    doc.note("比率以有效票（含“不了解”，不含废票）为分母。" + FIGURE_NOTE)
