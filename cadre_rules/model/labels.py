"""Chinese names of the case file's records and fields, for text that names a place in a case.

Why: a reason such as "could not judge: publicity[0].start/end is outside the holiday data" points an
auditor at a field path, which is code to a reader of a Chinese report. Chinese text names the record
instead (「第1次公示的起止日期」); the path itself stays in the finding's `paths` and in the English
reason. One table, so every reason and report says the same name for the same record.
"""
from __future__ import annotations

import re

#: A list of records (or one record) in a case file: (its n-th item, with `{n}` counted from 1; the
#: record named without a position, for a path whose positions were left out (`meetings[]`)).
RECORDS: dict[str, tuple[str, str]] = {
    "candidates": ("第{n}名考察对象", "考察对象"),
    "body": ("领导班子", "领导班子"),
    "members": ("第{n}名班子成员", "班子成员"),
    "motion": ("动议", "动议"),
    "recommendations": ("第{n}轮推荐", "推荐"),
    "results": ("第{n}项推荐结果", "推荐结果"),
    "inspections": ("第{n}次考察", "考察"),
    "petitions": ("第{n}件信访举报", "信访举报"),
    "meetings": ("第{n}次会议", "会议"),
    "agenda": ("第{n}项议题", "议题"),
    "statements": ("第{n}条表态", "表态"),
    "publicity": ("第{n}次公示", "公示"),
    "objections": ("第{n}件公示反映", "公示反映"),
    "appointments": ("第{n}份任职通知", "任职通知"),
    "filings": ("第{n}次备案", "备案"),
    "prior_reports": ("第{n}份事先报告", "事先报告"),
    "leader_departure": ("主要领导离任", "主要领导离任"),
    "work_history": ("第{n}段工作经历", "工作经历"),
    "sanctions": ("第{n}项处分或处理", "处分或处理"),
    "nominations": ("第{n}份个人推荐", "个人推荐"),
    "consultations": ("第{n}次酝酿", "酝酿"),
    "attestations": ("第{n}份证明", "证明"),
    "post": ("拟任职位", "拟任职位"),
    "submission": ("报批", "报批"),
}

#: A field of a record (the last part of a path; `a/b` names two fields read together).
FIELDS: dict[str, str] = {
    "date": "日期",
    "start": "开始日期",
    "end": "结束日期",
    "start/end": "起止日期",
    "completed": "完成日期",
    "date/filings": "日期至备案日期",
    "date/as_of": "日期至记录截至日期",
    "birth_date": "出生日期",
    "work_start_date": "参加工作时间",
    "party_join_date": "入党时间",
    "non_voting_attendees": "列席人员",
    "circulated_in_advance": "会前送达情况",
    "statements": "逐一表态",
    "attendees": "出席人员",
    "members_due": "应到成员",
    "vote": "表决",
    "as_of": "记录截至日期",
}

_PART = re.compile(r"([A-Za-z_/]+)(?:\[(\d*)\])?")


def path_label(path: str) -> str:
    """A field path in Chinese: `publicity[0].start/end` → 第1次公示的起止日期, `meetings[].agenda[].statements`
    → 会议议题的逐一表态. A part the tables do not name stays as it is written (tests keep the examples
    and synthetic cases free of those)."""
    out = ""
    parts = path.split(".")
    for i, part in enumerate(parts):
        match = _PART.fullmatch(part)
        if match is None:
            return path
        name, index = match[1], match[2]
        last = i == len(parts) - 1
        if last and match[2] is None and name in FIELDS:
            return f"{out}的{FIELDS[name]}" if out else FIELDS[name]
        if name not in RECORDS:
            return f"{out}的{name}" if out else name
        numbered, plain = RECORDS[name]
        out += numbered.format(n=int(index) + 1) if index else plain
    return out


__all__ = ["FIELDS", "RECORDS", "path_label"]
