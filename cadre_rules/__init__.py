"""cadre-rules: executable procedure for selecting and appointing leading cadres (干部选拔任用).

The public API, for systems that embed the library:

    import cadre_rules as cr
    rulebook = cr.load_rulebook()                  # bundled national rules, validated
    case = cr.load_case("examples/cases/x.yaml")   # or cr.validate_case(dict) / cr.Case(...)
    for finding in cr.audit(case, rulebook):
        print(finding.rule_id, finding.verdict, finding.message["zh"])

Live use goes through `CaseProcess`, which refuses transitions whose guard rules are violated, or
through `LiveCase` (events in, accepted/refused at once, optionally kept in a hash-chained `Journal`).
"""
from __future__ import annotations

from typing import Any

from cadre_rules import errors as _errors
from cadre_rules.errors import *  # noqa: F403 - every public error, under CadreRulesError
from cadre_rules.errors import ErrorKind
from cadre_rules.audit.auditor import Auditor, CaseResult, exit_status, summarize
from cadre_rules.reading.cases import load_case, read_cases, validate_case, validate_case_json
from cadre_rules.reading.register import load_register, validate_register
from cadre_rules.model.register import Register
from cadre_rules.audit.register import UnitResult, judge_register
from cadre_rules.engine import Finding
from cadre_rules.facts import Unknown, derive_facts
from cadre_rules.model import *  # noqa: F403 - the case model is part of the public API
from cadre_rules.model import Case
from cadre_rules.rulebook import Rulebook, load_rulebook
from cadre_rules.live.journal import Journal, Receipt, VerifyReport, verify_journal
from cadre_rules.live.signing import Checkpoint, Signer, load_checkpoints
from cadre_rules.live import (
    Drift,
    Event,
    EventFieldError,
    EventResult,
    LiveCase,
    Refusal,
    Replay,
    rejudge,
    replay,
)
from cadre_rules.live.process import CaseProcess, Transition
from cadre_rules.importers import FormImport, export_lrmx, import_form, skeleton_yaml
from cadre_rules.model.reviews import ReviewRecord
from cadre_rules.model.team import TeamProfile
from cadre_rules.reading.reviews import load_reviews
from cadre_rules.facts.reviews import review_figures
from cadre_rules.service import ServiceConfig, create_app  # FastAPI is imported only when create_app is called
from cadre_rules.spark import audit_batches, audit_dataframe  # pyspark is imported only by audit_dataframe's caller

__version__ = "0.1.0"

_DEFAULT: dict[str, Auditor] = {}


def audit(case: Case | dict[str, Any], rulebook: Rulebook | None = None) -> list[Finding]:
    """Findings for one case (a Case or raw data), with the given or the bundled rulebook.

    Raw data that does not validate raises CaseValidationError naming each field.
    """
    if rulebook is None:
        auditor = _DEFAULT.get("national") or _DEFAULT.setdefault("national", Auditor())
    else:
        auditor = Auditor(rulebook)
    if not isinstance(case, Case):
        case = validate_case(case)
    return auditor.findings(case)


__all__ = [
    "Auditor", "Case", "CaseProcess", "CaseResult", "Finding", "Rulebook", "Transition", "Unknown", "audit",
    "derive_facts", "exit_status", "load_case", "load_rulebook", "read_cases", "summarize", "validate_case", "validate_case_json", "__version__",
    # live enforcement and the journal (docs/live.md)
    "Drift", "Event", "EventFieldError", "EventResult", "Journal", "LiveCase", "Receipt", "Refusal", "Replay", "VerifyReport", "rejudge",
    "replay", "verify_journal", "Checkpoint", "Signer", "load_checkpoints",
    # every public error, all subclasses of CadreRulesError (cadre_rules/errors.py)
    *_errors.__all__,
    # the stable kind of an input problem, InputError.kind (docs/errors.md)
    "ErrorKind",
    # the organisation register and the cross-case rules (docs/register.md)
    "Register", "UnitResult", "judge_register", "load_register", "validate_register",
    # importers (docs/import-lrmx.md, docs/import-workbook.md)
    "FormImport", "export_lrmx", "import_form", "skeleton_yaml",
    # supervision records (docs/reviews.md, docs/team-structure.md)
    "ReviewRecord", "TeamProfile", "load_reviews", "review_figures",
    # beyond one process (docs/service.md, docs/spark.md)
    "ServiceConfig", "create_app", "audit_batches", "audit_dataframe",
]
