"""The audit room: judging cases against a rulebook (`Auditor`), waivers, and batch runs over many cases."""
from cadre_rules.audit.auditor import Auditor, CaseResult, exit_status, summarize

__all__ = ["Auditor", "CaseResult", "exit_status", "summarize"]
