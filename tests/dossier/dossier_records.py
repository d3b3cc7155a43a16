"""Consistent sourced records for the baseline candidate (c1 of the compliant example), and mutations
that each break one dossier check."""
from __future__ import annotations

from datetime import date
from typing import Any


def consistent_records(c: dict[str, Any]) -> dict[str, Any]:
    """Every source agreeing with the candidate's own fields; plausible ages and an unbroken history."""
    birth, work, party = c["birth_date"], c["work_start_date"], c["party_join_date"]
    return {
        "birth_date": [{"source": "dossier", "value": birth, "recorded": date(1995, 9, 1), "document": "入团志愿书"},
                       {"source": "household_register", "value": birth},
                       {"source": "appointment_form", "value": birth}],
        "work_start_date": [{"source": "dossier", "value": work}, {"source": "appointment_form", "value": work}],
        "party_join_date": [{"source": "dossier", "value": party}, {"source": "appointment_form", "value": party}],
        "education": [{"source": "dossier", "degree": "大学本科", "level": "bachelor", "institution": "江南财经大学",
                       "start": date(1998, 9, 1), "end": date(2002, 6, 30), "mode": "full_time"},
                      {"source": "appointment_form", "degree": "大学本科", "level": "bachelor",
                       "institution": "江南财经大学", "start": date(1998, 9, 1), "end": date(2002, 6, 30),
                       "mode": "full_time"}],
        "work_history": [{"source": "dossier", "start": h["start"], "end": h.get("end"), "organisation": h["unit"],
                          "post": h["title"], "level": h.get("level")} for h in c["work_history"]],
        "cadre_identity": {"how": "公务员录用", "acquired": work},
        "dossier_review": [{"item": "birth_date", "status": "resolved", "date": date(2021, 4, 1)}],
    }
