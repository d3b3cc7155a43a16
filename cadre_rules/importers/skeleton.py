"""Case skeletons: what an appointment form says about a case, written as a case file to complete.

A form names the candidate, the proposed post (拟任职务) and the reason, not the deciding body, the
post's quota or any step of the procedure, so a skeleton is not yet a valid case. Which required
fields are still missing is asked of the case model itself (a validation whose only errors are
"required field missing"), listed in `meta.import.to_complete` and in the file's header comment.

The case id carries no personal data: `form-` and the first 12 hex digits of the SHA-256 of the
form file's bytes (`sha256sum` prints them). A form's file is named after the cadre (马俊杰.lrmx), and
the id made from that name put it in every report and in the spot-check keys (`<case id>/<candidate
id>`), which are printed where names never are. The same file gives the same id; without the file
the id says nothing. `case_ids="file-name"` (`--case-ids file-name`) gives the former id.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cadre_rules.importers.candidate import CandidateImport, ImportNote, candidate_from_form, form_from_candidate
from cadre_rules.importers.forms import AppointmentForm, FormError, read_form, write_lrmx
from cadre_rules.model import Candidate
from cadre_rules.reading.cases import CaseValidationError, validate_case


@dataclass
class FormImport:
    """One imported form: its case skeleton, the candidate record, and the notes on what was not taken."""

    source: str
    skeleton: dict[str, Any]
    notes: list[ImportNote] = field(default_factory=list)
    to_complete: list[str] = field(default_factory=list)

    @property
    def candidate(self) -> dict[str, Any]:
        return self.skeleton["candidates"][0]


# How a skeleton's case id is made, when none is given: from the file's digest (no personal data),
# or from its file name (the former ids: the file is usually named after the cadre).
CASE_IDS = ("digest", "file-name")


def import_form(path: str | Path, candidate_id: str = "c1", case_id: str | None = None,
                case_ids: str = "digest") -> FormImport:
    """Import one `.lrmx`/`.lrm` file into a case skeleton (raises FormError for an unreadable file).
    The case id is `case_id`, else made as `case_ids` says (CASE_IDS; see the module's docstring)."""
    if case_ids not in CASE_IDS:
        raise ValueError(f"case_ids must be one of {', '.join(CASE_IDS)}, not {case_ids!r}")
    p = Path(path)
    form = read_form(p)
    if case_id is None:
        case_id = _case_id(p.stem) if case_ids == "file-name" else digest_case_id(form.sha256 or "")
    return skeleton_from_form(form, source=str(p), file=p.name, candidate_id=candidate_id, case_id=case_id)


def digest_case_id(sha256: str) -> str:
    """The case id of a form whose file has this SHA-256 (hex): `form-` and its first 12 digits."""
    return f"form-{sha256[:12]}"


def skeleton_from_form(form: AppointmentForm, source: str = "", file: str | None = None, candidate_id: str = "c1",
                       case_id: str = "imported") -> FormImport:
    imported: CandidateImport = candidate_from_form(form, candidate_id, file)
    cand = imported.candidate
    notes = list(imported.notes)
    # the candidate record alone must already be valid: a wrong value is reported now, not at completion
    try:
        Candidate.model_validate(cand)
    except Exception as exc:  # pydantic.ValidationError: reported field by field
        errors = getattr(exc, "errors", lambda **_: [])(include_url=False)
        for e in errors:
            loc = ".".join(str(x) for x in e["loc"])
            notes.append(ImportNote(f"candidates[0].{loc}", str(e["msg"])))
    values = {k: (v or "").strip() for k, v in form.values.items()}
    skeleton: dict[str, Any] = {"id": case_id}
    proposed = values.get("NiRenZhiWu", "")
    if cand.get("name") and proposed:
        skeleton["title"] = f"{cand['name']}拟任{proposed}"
    skeleton["candidates"] = [cand]
    if proposed:
        skeleton["post"] = {"title": proposed}
    meta: dict[str, Any] = {"source": "任免审批表", "file": file or source}
    for key, element in (("reason", "RenMianLiYou"), ("reporting_unit", "ChengBaoDanWei"),
                         ("proposed_removal", "NiMianZhiWu")):
        if values.get(element):
            meta[key] = values[element]
    skeleton["meta"] = {"import": meta}
    to_complete = missing_fields(skeleton)
    meta["to_complete"] = to_complete
    if notes:
        meta["notes"] = [str(n) for n in notes]
    return FormImport(source or (file or ""), skeleton, notes, to_complete)


def missing_fields(data: dict[str, Any]) -> list[str]:
    """Required fields the case still lacks, as the case model reports them (in its order)."""
    try:
        validate_case(data)
    except CaseValidationError as exc:
        return [e.path for e in exc.errors if e.message == "required field missing"]
    return []


def skeleton_yaml(result: FormImport) -> str:
    """The skeleton as a YAML case file, with a header saying where it came from and what is missing."""
    header = [f"# 由任免审批表导入的案例骨架 / case skeleton imported from an appointment form: {result.skeleton['meta']['import']['file']}",
              "# 待补充 / to complete before audit: " + (", ".join(result.to_complete) or "nothing"),
              "# 只有年月的日期写作 YYYY-MM / dates known to the month only are written YYYY-MM"]
    body = yaml.safe_dump(result.skeleton, allow_unicode=True, sort_keys=False, width=120)
    return "\n".join(header) + "\n" + body


def export_lrmx(candidate: dict[str, Any] | Candidate) -> bytes:
    """The `.lrmx` form of a candidate record (a dict as in a case file, or a Candidate)."""
    if isinstance(candidate, Candidate):
        candidate = candidate.model_dump(mode="json", by_alias=True, exclude_none=True)
    return write_lrmx(form_from_candidate(candidate))


def _case_id(stem: str) -> str:
    cleaned = re.sub(r"\s+", "-", stem.strip())
    return cleaned[:128] or "imported"


__all__ = ["CASE_IDS", "FormError", "FormImport", "digest_case_id", "export_lrmx", "import_form", "missing_fields", "skeleton_from_form", "skeleton_yaml"]
