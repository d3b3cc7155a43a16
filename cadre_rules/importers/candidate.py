"""An appointment form as a candidate record of the case model, and back.

Only what the form states is filled in; nothing is judged. In particular the 简历 is kept as periods
under `records.appointment_form.resume` and NOT turned into `work_history`: a post there carries its
level, whether it was grassroots and whether it was a promotion, which the form does not say and
which rules count. A person's date the form gives as a month stays a month (`1980-05`): the case model
takes it as such, and a rule whose verdict the day would change gives `unknown`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cadre_rules.importers.forms import AppointmentForm
from cadre_rules.importers.months import Month, parse_iso_month, parse_month
from cadre_rules.importers.resume import ResumePeriod, read_resume, write_resume


@dataclass(frozen=True)
class ImportNote:
    """Something the import could not take over as it stands; names the form field and quotes it."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass
class CandidateImport:
    candidate: dict[str, Any]
    notes: list[ImportNote] = field(default_factory=list)


# 称谓 → kinship kind of the recusal rules; an unlisted title becomes `other` (and is noted).
KINSHIP_TITLES: dict[str, str] = {
    **dict.fromkeys(["妻子", "丈夫", "配偶", "夫", "妻"], "spouse"),
    **dict.fromkeys(["父亲", "母亲", "继父", "继母", "养父", "养母"], "parent"),
    **dict.fromkeys(["儿子", "女儿", "长子", "次子", "三子", "长女", "次女", "三女", "独子", "独女", "养子", "养女",
                     "继子", "继女"], "child"),
    **dict.fromkeys(["哥哥", "姐姐", "弟弟", "妹妹", "兄", "姐", "弟", "妹", "长兄", "二哥", "大姐", "二姐"], "sibling"),
    **dict.fromkeys(["祖父", "祖母", "外祖父", "外祖母", "爷爷", "奶奶"], "grandparent"),
    **dict.fromkeys(["孙子", "孙女", "外孙", "外孙女"], "grandchild"),
    **dict.fromkeys(["岳父", "岳母", "公公", "婆婆"], "parent_in_law"),
    **dict.fromkeys(["儿媳", "女婿"], "child_in_law"),
    **dict.fromkeys(["嫂子", "弟媳", "姐夫", "妹夫", "大伯子", "小叔子", "大姑子", "小姑子", "内兄", "内弟",
                     "妻兄", "妻弟", "妻姐", "妻妹"], "sibling_in_law"),
    **dict.fromkeys(["伯父", "叔父", "姑母", "舅父", "姨母", "伯母", "婶母", "姑父", "舅母", "姨父"], "uncle_aunt"),
    **dict.fromkeys(["侄子", "侄女", "外甥", "外甥女"], "nephew_niece"),
    **dict.fromkeys(["堂兄", "堂弟", "堂姐", "堂妹", "表兄", "表弟", "表姐", "表妹"], "cousin"),
}

_GRADES = (("基本称职", "basically_competent"), ("不称职", "incompetent"), ("优秀", "excellent"), ("称职", "competent"))
_GRADE_RE = re.compile("|".join(word for word, _ in _GRADES))
# Sanctions the case model knows the influence period of (KNOWN_SANCTIONS), as forms write them.
_SANCTIONS = (("党内严重警告", "party", "serious_warning"), ("撤销党内职务", "party", "removal_from_post"),
              ("党内警告", "party", "warning"), ("行政警告", "administrative", "warning"),
              ("记大过", "administrative", "major_demerit"), ("记过", "administrative", "demerit"),
              ("降级", "administrative", "demotion"), ("撤职", "administrative", "dismissal"),
              ("警告处分", "administrative", "warning"))
_OTHER_SANCTION_WORDS = ("留党察看", "开除", "诫勉", "政务", "处分", "免职", "降职")
_DATE_IN_TEXT = re.compile(r"(\d{4})\s*(?:[.．]\s*(\d{1,2})|年\s*(\d{1,2})\s*月)")
_NONE = {"", "无", "无。", "没有", "—", "-", "/"}


def candidate_from_form(form: AppointmentForm, candidate_id: str = "c1", file: str | None = None) -> CandidateImport:
    """The candidate record a form states, with its source record, and what could not be taken over."""
    v = {k: (val or "").strip() for k, val in form.values.items()}
    notes: list[ImportNote] = [ImportNote("(file)", n) for n in form.notes]
    cand: dict[str, Any] = {"id": candidate_id, "name": v.get("XingMing", "")}
    if not cand["name"]:
        notes.append(ImportNote("XingMing", "no name (姓名) on the form"))
    if v.get("XingBie"):
        cand["gender"] = v["XingBie"]

    def month_field(element: str, target: str, required: bool = False) -> Month | None:
        raw = v.get(element, "")
        try:
            m = parse_month(raw)
        except ValueError:
            m = None
        if m is None:
            if raw or required:
                notes.append(ImportNote(element, f"not a date: {raw!r}" if raw else "no date on the form"))
            return None
        cand[target] = m.iso  # YYYY-MM when the form gives the month only, as most do
        return m

    month_field("ChuShengNianYue", "birth_date", required=True)
    if v.get("ShenFenZheng"):
        cand["id_number"] = v["ShenFenZheng"]
    month_field("CanJiaGongZuoShiJian", "work_start_date")
    party = v.get("RuDangShiJian", "")
    try:
        joined = parse_month(party)
    except ValueError:
        joined = None
    if joined:
        month_field("RuDangShiJian", "party_join_date")
        cand["party_member"] = True
    else:
        # the form's 入党时间 is empty or names another party (民盟, 无党派...): not a CPC member
        cand["party_member"] = False
    cand["education"] = _education(v)
    if v.get("XianRenZhiWu"):
        cand["current_post"] = v["XianRenZhiWu"]
    cand["appraisals"] = _appraisals(v.get("NianDuKaoHeJieGuo", ""), notes)
    cand["sanctions"] = _sanctions(v.get("JiangChengQingKuang", ""), notes)
    reading = read_resume(form.values.get("JianLi", ""))
    for line in reading.unread:
        notes.append(ImportNote("JianLi", f"line not read as a period: {line!r}"))
    family = []
    for i, member in enumerate(form.family):
        title = member.get("ChengWei", "").strip()
        kinship = KINSHIP_TITLES.get(title, "other")
        if kinship == "other":
            notes.append(ImportNote(f"JiaTingChengYuan[{i}].ChengWei", f"title {title!r} names no kinship kind: recorded as other"))
        entry: dict[str, Any] = {"title": title, "kinship": kinship, "name": member.get("XingMing", "").strip()}
        for key, source in (("birth", "ChuShengRiQi"), ("political_status", "ZhengZhiMianMao"), ("work", "GongZuoDanWeiJiZhiWu")):
            if member.get(source, "").strip():
                entry[key] = member[source].strip()
        family.append(entry)
    record: dict[str, Any] = {"source": "任免审批表", "format": form.format}
    if file:
        record["file"] = file
    record["values"] = dict(form.values)
    record["family"] = family
    record["resume"] = [_period_record(p) for p in reading.periods]
    if reading.unread:
        record["unread_resume_lines"] = list(reading.unread)
    cand["records"] = {"appointment_form": record}
    return CandidateImport(cand, notes)


def form_from_candidate(candidate: dict[str, Any]) -> AppointmentForm:
    """The form of a candidate record: the values kept from its import, with the model's own fields
    (name, gender, dates, identity number, current post) written over them when they were edited."""
    record = (candidate.get("records") or {}).get("appointment_form") or {}
    values = dict(record.get("values") or {})
    overrides = {"XingMing": candidate.get("name"), "XingBie": candidate.get("gender"),
                 "ShenFenZheng": candidate.get("id_number"), "XianRenZhiWu": candidate.get("current_post")}
    for element, value in overrides.items():
        if value is not None and (values.get(element) or "").strip() != str(value):
            values[element] = str(value)
    for element, target in (("ChuShengNianYue", "birth_date"), ("CanJiaGongZuoShiJian", "work_start_date"),
                            ("RuDangShiJian", "party_join_date")):
        value = candidate.get(target)
        if value is None:
            continue
        wanted = parse_iso_month(value.isoformat() if hasattr(value, "isoformat") else str(value))
        try:
            current = parse_month(values.get(element, ""))
        except ValueError:
            current = None
        if current != wanted:  # the form's value says another month or day: write the model's
            values[element] = wanted.compact
    if "JianLi" not in values and record.get("resume"):
        values["JianLi"] = write_resume([_resume_period(p) for p in record["resume"]])
    family = []
    for m in record.get("family") or []:
        family.append({"ChengWei": m.get("title", ""), "XingMing": m.get("name", ""), "ChuShengRiQi": m.get("birth") or "",
                       "ZhengZhiMianMao": m.get("political_status") or "", "GongZuoDanWeiJiZhiWu": m.get("work") or ""})
    return AppointmentForm(values=values, family=family, format="lrmx")


def _period_record(p: ResumePeriod) -> dict[str, Any]:
    out: dict[str, Any] = {"start": f"{p.start.year:04d}-{p.start.month:02d}"}
    if p.end:
        out["end"] = f"{p.end.year:04d}-{p.end.month:02d}"
    out["text"] = p.text
    if p.during:
        out["during"] = list(p.during)
    return out


def _resume_period(p: dict[str, Any]) -> ResumePeriod:
    end = parse_iso_month(p["end"]) if p.get("end") else None
    return ResumePeriod(parse_iso_month(p["start"]), end, p["text"], list(p.get("during") or []), "" if end else "至今")


def _education(v: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for prefix, full_time in (("QuanRiZhiJiaoYu", True), ("ZaiZhiJiaoYu", False)):
        level_text, degree = v.get(f"{prefix}_XueLi", ""), v.get(f"{prefix}_XueWei", "")
        if not level_text and not degree:
            continue
        # `level` stays unset: the facts layer ranks the degree text itself (one place for that reading)
        entry: dict[str, Any] = {"degree": level_text or degree}
        school = v.get(f"{prefix}_XueLi_BiYeYuanXiaoXi") or v.get(f"{prefix}_XueWei_BiYeYuanXiaoXi")
        if school:
            entry["institution"] = school
        entry["full_time"] = full_time
        out.append(entry)
    return out


def _appraisals(text: str, notes: list[ImportNote]) -> list[dict[str, Any]]:
    """`2021年度考核称职；2022、2023年度考核均为优秀。` → one appraisal per year; a segment with years
    but no grade (or several grades) is noted, not guessed."""
    out: dict[int, str] = {}
    if text.strip() in _NONE:
        return []
    for segment in re.split(r"[；;。，,\n]", text):
        segment = segment.strip()
        if not segment:
            continue
        years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", segment)]
        grades = _GRADE_RE.findall(segment)
        if not years:
            continue
        if len(set(grades)) != 1:
            notes.append(ImportNote("NianDuKaoHeJieGuo", f"not read as years and one grade: {segment!r}"))
            continue
        grade = dict(_GRADES)[grades[0]]
        for year in years:
            out[year] = grade
    return [{"year": y, "grade": g} for y, g in sorted(out.items())]


def _sanctions(text: str, notes: list[ImportNote]) -> list[dict[str, Any]]:
    """Sanctions with a known influence period and a month: `2019.03受党内警告处分`. Rewards have no
    field in the model and stay in the form's values; a sanction without a month, or of a kind the
    model has no influence period for, is noted (its period is not invented)."""
    out = []
    if text.strip() in _NONE:
        return out
    for segment in re.split(r"[；;。\n]", text):
        segment = segment.strip()
        if not segment:
            continue
        kind = next(((system, kind) for word, system, kind in _SANCTIONS if word in segment), None)
        if kind is None:
            if any(word in segment for word in _OTHER_SANCTION_WORDS):
                notes.append(ImportNote("JiangChengQingKuang", f"a sanction of a kind without a known influence period, not imported: {segment!r}"))
            continue
        m = _DATE_IN_TEXT.search(segment)
        if not m:
            notes.append(ImportNote("JiangChengQingKuang", f"a sanction without its month, not imported: {segment!r}"))
            continue
        month = int(m.group(2) or m.group(3))
        try:
            decided = Month(int(m.group(1)), month)
        except ValueError:
            notes.append(ImportNote("JiangChengQingKuang", f"impossible date in {segment!r}"))
            continue
        out.append({"system": kind[0], "type": kind[1], "decision_date": decided.first_day().isoformat()})
        notes.append(ImportNote("JiangChengQingKuang", f"sanction dated by its month only ({decided.iso}): decision_date set to its first day"))
    return out
