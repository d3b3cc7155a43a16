"""Every error cadre-rules raises to its callers, in one place, under one base class.

An embedding system catches `CadreRulesError` for "anything cadre-rules refused", or one subclass
for one kind of problem. Each error keeps the builtin base it always had (ValueError, RuntimeError)
so older `except ValueError` code still works, and carries what a caller needs to act on it
(file, line, rule id, case id, field path) as attributes, not only in the message.

This module imports nothing from the rest of the package (it is the bottom of the import graph);
the objects some errors carry (a VerifyReport, an EventResult, a Transition) are only read here.

Internal control-flow exceptions stay private where they are raised, because none ever reaches a
caller: `engine.durable_compile.Unsupported` (caught in compile_rule), `engine.durable.InvalidFacts`
and `EngineFailure` (caught in DurableEvaluator.evaluate, the case goes to the Python evaluator),
`engine.durable_worker.WorkerDied` (caught in DurableWorker.judge_many, the worker restarts),
`testing.draft.Redraw` (caught by the generator), `reading.limits._Duplicate` (caught in load_json), and the decision service's `service.limits.Refused`
(turned into the HTTP error answer), `service.live.UnknownCase` and `CaseExists` (caught by its routes:
404 and 409).
"""
from __future__ import annotations

import errno as _errno
import json as _json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple


if TYPE_CHECKING:  # only for annotations: errors.py stays at the bottom of the import graph
    from cadre_rules.live.case import EventResult
    from cadre_rules.live.journal import VerifyReport
    from cadre_rules.live.process import Transition
    from cadre_rules.rulebook.model import LoadError


class CadreRulesError(Exception):
    """Base class of every error cadre-rules raises to its callers."""


class _OneLine:
    """An error said in one line, with the same line in Chinese (`zh`) for a command run with
    --lang zh (`describe`); str() is the English, as it always was."""

    def __init__(self, message: str, *, zh: str | None = None) -> None:
        super().__init__(message)  # type: ignore[call-arg]
        self.zh = zh

    def describe(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" and self.zh else str(self)


# ---- case input ------------------------------------------------------------------------------
class ErrorKind(StrEnum):
    """The stable kind of an input problem (`InputError.kind`, the JSON report's `errors[].kind`).

    Kept here rather than in codes.py because it is not a code list of the domain (no case or rule
    holds one) and errors.py imports nothing of the package: a program reading a report switches on
    the kind, never on the English text, and every kind has one Chinese and one English message in
    MESSAGES below (docs/errors.md lists them). The kinds of pydantic's own
    errors keep pydantic's `type` as their value (`missing`, `extra_forbidden`, …)."""

    # reading a file
    no_such_file = "no_such_file"
    dangling_link = "dangling_link"
    cannot_read = "cannot_read"
    cannot_read_directory = "cannot_read_directory"
    stdin_not_json_lines = "stdin_not_json_lines"
    # live-case journals that do not open (live/journal.py; `journal rejudge --lang`)
    journal_missing = "journal_missing"
    journal_not_database = "journal_not_database"
    journal_foreign_database = "journal_foreign_database"
    journal_no_tables = "journal_no_tables"
    journal_unknown_format = "journal_unknown_format"
    journal_bad_meta = "journal_bad_meta"
    not_case_file = "not_case_file"
    not_regular_file = "not_regular_file"
    file_too_large = "file_too_large"
    line_too_long = "line_too_long"
    not_utf8 = "not_utf8"
    not_utf8_text = "not_utf8_text"
    invalid_json = "invalid_json"
    invalid_yaml = "invalid_yaml"
    duplicate_key = "duplicate_key"
    duplicate_yaml_key = "duplicate_yaml_key"
    yaml_alias = "yaml_alias"
    yaml_tag = "yaml_tag"
    yaml_documents = "yaml_documents"
    string_over_limit = "string_over_limit"
    number_over_limit = "number_over_limit"
    nesting_over_limit = "nesting_over_limit"
    lone_surrogate = "lone_surrogate"
    bad_limit_setting = "bad_limit_setting"
    limit_setting_too_high = "limit_setting_too_high"
    case_not_mapping = "case_not_mapping"
    expected_one_case = "expected_one_case"
    internal_error = "internal_error"
    internal_error_judging = "internal_error_judging"
    no_document = "no_document"  # the Spark adapter: a row without a document
    not_a_document = "not_a_document"
    # the case's integrity (model/case.py integrity_problems)
    duplicate_id = "duplicate_id"
    open_case_without_as_of = "open_case_without_as_of"
    post_at_non_leading_level = "post_at_non_leading_level"
    unknown_member = "unknown_member"
    unknown_candidate = "unknown_candidate"
    unknown_person = "unknown_person"
    unknown_recommendation = "unknown_recommendation"
    unknown_prior_report = "unknown_prior_report"
    inspection_completed_before_start = "inspection_completed_before_start"
    closed_before_received = "closed_before_received"
    publicity_end_before_start = "publicity_end_before_start"
    notice_before_decision = "notice_before_decision"
    filing_before_notice = "filing_before_notice"
    reply_before_submission = "reply_before_submission"
    left_before_decided = "left_before_decided"
    work_start_before_birth = "work_start_before_birth"
    end_before_start = "end_before_start"
    speaker_not_attendee = "speaker_not_attendee"
    votes_exceed_due = "votes_exceed_due"
    sanction_period_unknown = "sanction_period_unknown"
    # the organisation register (model/register.py, reading/register.py, report/departure.py)
    register_not_mapping = "register_not_mapping"
    register_suffix = "register_suffix"
    register_not_found = "register_not_found"
    expected_one_register = "expected_one_register"
    duplicate_register_id = "duplicate_register_id"
    quota_period_order = "quota_period_order"
    unknown_post = "unknown_post"
    unknown_unit = "unknown_unit"
    decided_before_start = "decided_before_start"
    successor_without_settled = "successor_without_settled"
    successor_before_settled = "successor_before_settled"
    completed_before_decided = "completed_before_decided"
    no_tenure_of_leader = "no_tenure_of_leader"
    unit_not_in_register = "unit_not_in_register"
    # workbooks (importers/workbook.py, importers/register.py): the cell is named apart (WorkbookProblem)
    workbook_not_found = "workbook_not_found"
    not_a_workbook = "not_a_workbook"
    sheet_missing = "sheet_missing"
    no_header_row = "no_header_row"
    column_missing = "column_missing"
    value_missing = "value_missing"
    not_whole_number = "not_whole_number"
    not_yes_no = "not_yes_no"
    unknown_code = "unknown_code"
    cell_not_a_date = "cell_not_a_date"
    cell_not_a_month = "cell_not_a_month"
    date_needs_day = "date_needs_day"
    second_register_row = "second_register_row"
    no_register_row = "no_register_row"
    unit_defined_twice = "unit_defined_twice"
    sheet_unknown_unit = "sheet_unknown_unit"
    sheet_unknown_post = "sheet_unknown_post"
    no_case_id = "no_case_id"
    case_defined_twice = "case_defined_twice"
    sheet_unknown_case = "sheet_unknown_case"
    sheet_unknown_record = "sheet_unknown_record"
    differs_from_earlier_row = "differs_from_earlier_row"
    attendee_without_role = "attendee_without_role"
    # waiver files (audit/waivers.py)
    waivers_not_a_list = "waivers_not_a_list"
    waiver_not_a_mapping = "waiver_not_a_mapping"
    waiver_unknown_field = "waiver_unknown_field"
    waiver_field_required = "waiver_field_required"
    waiver_field_text = "waiver_field_text"
    waiver_field_date = "waiver_field_date"
    waiver_unknown_rule = "waiver_unknown_rule"
    waiver_duplicate = "waiver_duplicate"
    waiver_unknown_case = "waiver_unknown_case"
    # supervision record files: the two reviews, team-structure profiles (reading/records.py, model/reviews.py, model/team.py)
    record_too_large = "record_too_large"
    record_not_utf8 = "record_not_utf8"
    record_invalid_json = "record_invalid_json"
    record_invalid_yaml = "record_invalid_yaml"
    record_not_mapping = "record_not_mapping"
    record_unknown_field = "record_unknown_field"
    record_field_missing = "record_field_missing"
    present_exceeds_expected = "present_exceeds_expected"
    negative_group = "negative_group"
    groups_exceed_present = "groups_exceed_present"
    forms_exceed_present = "forms_exceed_present"
    appointee_used_twice = "appointee_used_twice"
    appointee_forms_exceed_present = "appointee_forms_exceed_present"
    empty_team_target = "empty_team_target"
    age_tiers_order = "age_tiers_order"
    record_for_another_year = "record_for_another_year"
    spotcheck_record_shape = "spotcheck_record_shape"
    # rulebooks (rulebook/loader.py): read by the organisation staff who own the rules
    rule_invalid_yaml = "rule_invalid_yaml"
    rule_bad_date = "rule_bad_date"
    rule_unknown_edition = "rule_unknown_edition"
    rule_unknown_source = "rule_unknown_source"
    rule_yaml_alias = "rule_yaml_alias"
    rule_yaml_too_deep = "rule_yaml_too_deep"
    rule_number_too_long = "rule_number_too_long"
    rule_file_too_large = "rule_file_too_large"
    rule_cannot_read = "rule_cannot_read"
    rule_file_missing = "rule_file_missing"
    rule_malformed = "rule_malformed"
    rule_editions_not_list = "rule_editions_not_list"
    rule_edition_not_mapping = "rule_edition_not_mapping"
    rule_edition_needs_id = "rule_edition_needs_id"
    rule_duplicate_edition = "rule_duplicate_edition"
    rule_document_titles = "rule_document_titles"
    rule_file_not_rules = "rule_file_not_rules"
    rule_each_mapping = "rule_each_mapping"
    rule_unknown_key = "rule_unknown_key"
    rule_missing_key = "rule_missing_key"
    rule_one_of = "rule_one_of"
    rule_must_be_mapping = "rule_must_be_mapping"
    rule_needs_zh_en = "rule_needs_zh_en"
    rule_text_extra_keys = "rule_text_extra_keys"
    rule_basis_verified = "rule_basis_verified"
    rule_verified_confidence = "rule_verified_confidence"
    rule_basis_empty = "rule_basis_empty"
    rule_parameter_spec = "rule_parameter_spec"
    rule_default_type = "rule_default_type"
    rule_value_type = "rule_value_type"
    rule_undeclared_parameter = "rule_undeclared_parameter"
    rule_unknown_parameter = "rule_unknown_parameter"
    rule_id_format = "rule_id_format"
    rule_duplicate_id = "rule_duplicate_id"
    rule_unknown_stage = "rule_unknown_stage"
    rule_pending_pair = "rule_pending_pair"
    rule_variants_shape = "rule_variants_shape"
    rule_variant_keys = "rule_variant_keys"
    rule_effective = "rule_effective"
    rule_catalogue_shape = "rule_catalogue_shape"
    rule_catalogue_severity = "rule_catalogue_severity"
    rule_match_shape = "rule_match_shape"
    rule_match_names = "rule_match_names"
    rule_unknown_fact_type = "rule_unknown_fact_type"
    rule_alias_reserved = "rule_alias_reserved"
    rule_escalate_shape = "rule_escalate_shape"
    rule_mutation_shape = "rule_mutation_shape"
    rule_expression_empty = "rule_expression_empty"
    rule_condition = "rule_condition"
    rule_unknown_placeholder = "rule_unknown_placeholder"
    rule_profile_shape = "rule_profile_shape"
    rule_unknown_profile = "rule_unknown_profile"
    rule_overrides_shape = "rule_overrides_shape"
    rule_override_keys = "rule_override_keys"
    rule_names_unknown_rule = "rule_names_unknown_rule"
    rule_guard_not_rule = "rule_guard_not_rule"
    # layered and installed rulebooks (rulebook/layers.py)
    rule_not_found = "rule_not_found"
    rule_installed_broken = "rule_installed_broken"
    rule_installed_not_directory = "rule_installed_not_directory"
    rule_manifest_shape = "rule_manifest_shape"
    rule_manifest_unknown_key = "rule_manifest_unknown_key"
    rule_layer_id = "rule_layer_id"
    rule_layer_extends = "rule_layer_extends"
    rule_layer_profile = "rule_layer_profile"
    rule_layer_cycle = "rule_layer_cycle"
    rule_base_has_rule = "rule_base_has_rule"
    rule_disable_shape = "rule_disable_shape"
    rule_disable_reason = "rule_disable_reason"
    rule_disable_keys = "rule_disable_keys"
    rule_disable_guard = "rule_disable_guard"
    # the workflow, the legend, accountability and the two reviews (rulebook/stages.py, legend.py, supervision.py)
    rule_workflow_shape = "rule_workflow_shape"
    rule_stage_entry = "rule_stage_entry"
    rule_transition_stage = "rule_transition_stage"
    rule_stage_undeclared = "rule_stage_undeclared"
    rule_stage_unreachable = "rule_stage_unreachable"
    rule_stage_dead_end = "rule_stage_dead_end"
    rule_list_file = "rule_list_file"
    rule_entry_needs_id = "rule_entry_needs_id"
    rule_source_id = "rule_source_id"
    rule_duplicate_source = "rule_duplicate_source"
    rule_source_fields = "rule_source_fields"
    rule_question_id = "rule_question_id"
    rule_question_fields = "rule_question_fields"
    rule_accountability_shape = "rule_accountability_shape"
    rule_needs_texts = "rule_needs_texts"
    rule_not_instrument = "rule_not_instrument"
    rule_citation_shape = "rule_citation_shape"
    rule_unknown_role = "rule_unknown_role"
    rule_unknown_rule_id = "rule_unknown_rule_id"
    rule_roles_list = "rule_roles_list"
    rule_unknown_stage_name = "rule_unknown_stage_name"
    rule_reviews_shape = "rule_reviews_shape"
    rule_threshold_shape = "rule_threshold_shape"
    rule_duplicate_threshold = "rule_duplicate_threshold"
    rule_measure = "rule_measure"
    rule_threshold_bound = "rule_threshold_bound"
    rule_fraction = "rule_fraction"
    rule_threshold_texts = "rule_threshold_texts"
    rule_local_figure_read = "rule_local_figure_read"
    rule_instrument_figure = "rule_instrument_figure"
    rule_thresholds_shape = "rule_thresholds_shape"
    rule_unknown_threshold = "rule_unknown_threshold"
    rule_threshold_not_local = "rule_threshold_not_local"
    # the condition language (rulebook/expr.py, rulebook/typecheck.py): ParseError.problem, shown inside rule_condition
    condition_too_long = "condition_too_long"
    condition_too_deep = "condition_too_deep"
    condition_chain_too_deep = "condition_chain_too_deep"
    condition_unexpected_character = "condition_unexpected_character"
    condition_escape_not_character = "condition_escape_not_character"
    condition_unknown_escape = "condition_unknown_escape"
    condition_expected = "condition_expected"
    condition_unexpected = "condition_unexpected"
    condition_date_argument = "condition_date_argument"
    condition_unknown_function = "condition_unknown_function"
    condition_wrong_type = "condition_wrong_type"
    condition_unknown_alias = "condition_unknown_alias"
    condition_unknown_field = "condition_unknown_field"
    condition_unknown_parameter = "condition_unknown_parameter"
    condition_mixed_list = "condition_mixed_list"
    condition_cannot_negate = "condition_cannot_negate"
    condition_arithmetic = "condition_arithmetic"
    condition_in_needs_list = "condition_in_needs_list"
    condition_in_needs_value = "condition_in_needs_value"
    condition_null_order = "condition_null_order"
    condition_cannot_compare = "condition_cannot_compare"
    condition_cannot_order = "condition_cannot_order"
    condition_bool_operands = "condition_bool_operands"
    condition_not_operand = "condition_not_operand"
    condition_len_argument = "condition_len_argument"
    condition_unknown_fact_type = "condition_unknown_fact_type"
    condition_alias_bound = "condition_alias_bound"
    condition_where_type = "condition_where_type"
    condition_unknown_code = "condition_unknown_code"
    condition_unsupported = "condition_unsupported"
    # report templates: the HTML page template and letterhead (report/html.py), the Word template (report/official.py)
    template_cannot_read = "template_cannot_read"
    template_lone_dollar = "template_lone_dollar"
    template_unknown_placeholder = "template_unknown_placeholder"
    template_cases_once = "template_cases_once"
    docx_template_unusable = "docx_template_unusable"
    docx_template_styles = "docx_template_styles"
    # the mapping file of another department's workbook layout (importers/mapping.py, `import workbook --mapping`)
    mapping_cannot_read = "mapping_cannot_read"
    mapping_invalid_yaml = "mapping_invalid_yaml"
    mapping_not_mapping = "mapping_not_mapping"
    mapping_unknown_keys = "mapping_unknown_keys"
    mapping_header_row = "mapping_header_row"
    mapping_names = "mapping_names"
    mapping_no_sheet = "mapping_no_sheet"
    mapping_section_not_mapping = "mapping_section_not_mapping"
    mapping_columns_not_mapping = "mapping_columns_not_mapping"
    mapping_no_column = "mapping_no_column"
    mapping_no_code_table = "mapping_no_code_table"
    mapping_codes_not_mapping = "mapping_codes_not_mapping"
    mapping_no_code_value = "mapping_no_code_value"
    mapping_dates_list = "mapping_dates_list"
    mapping_date_format = "mapping_date_format"
    # holiday files adding years to the bundled holiday data (facts/calendar.py, `--holidays`, docs/holidays.md)
    holiday_invalid_yaml = "holiday_invalid_yaml"
    holiday_file_shape = "holiday_file_shape"
    holiday_bundled_year = "holiday_bundled_year"
    holiday_year_twice = "holiday_year_twice"
    holiday_entry_not_mapping = "holiday_entry_not_mapping"
    holiday_unknown_field = "holiday_unknown_field"
    holiday_bad_year = "holiday_bad_year"
    holiday_notice_missing = "holiday_notice_missing"
    holiday_days_not_list = "holiday_days_not_list"
    holiday_bad_day = "holiday_bad_day"
    holiday_day_other_year = "holiday_day_other_year"
    holiday_workday_weekday = "holiday_workday_weekday"
    holiday_holiday_and_workday = "holiday_holiday_and_workday"
    # a case's own promise about its audit, `meta.expected` (audit/expectations.py, `cadre-rules test`)
    expectation_shape = "expectation_shape"
    expectation_not_list = "expectation_not_list"
    expectation_unknown_rule = "expectation_unknown_rule"
    # inputs a report that counts cases leaves out (audit/batch.py valid_cases, report/annual.py): named by
    # place and field path only, never by the message (a validation message may echo personal data)
    input_left_out = "input_left_out"
    invalid_case_left_out = "invalid_case_left_out"
    judging_failed_left_out = "judging_failed_left_out"
    # the model's own validators (model/base.py, records.py, steps.py)
    no_such_month = "no_such_month"
    month_format = "month_format"
    not_a_date = "not_a_date"
    date_format = "date_format"
    history_end_before_start = "history_end_before_start"
    both_vote_keys = "both_vote_keys"
    # pydantic's errors, by pydantic's `type`
    missing = "missing"
    extra_forbidden = "extra_forbidden"
    literal_error = "literal_error"
    enum = "enum"
    date_from_datetime_parsing = "date_from_datetime_parsing"
    date_from_datetime_inexact = "date_from_datetime_inexact"
    date_type = "date_type"
    int_parsing = "int_parsing"
    int_type = "int_type"
    int_from_float = "int_from_float"
    string_type = "string_type"
    bool_parsing = "bool_parsing"
    bool_type = "bool_type"
    list_type = "list_type"
    dict_type = "dict_type"
    model_type = "model_type"
    greater_than_equal = "greater_than_equal"
    greater_than = "greater_than"
    less_than = "less_than"
    less_than_equal = "less_than_equal"
    too_short = "too_short"
    string_too_short = "string_too_short"
    string_too_long = "string_too_long"



# Every input problem has a stable kind (codes.ErrorKind) and is rendered from one table, MESSAGES:
# kind → (Chinese, English) templates over the problem's parameters. The English text is what the
# JSON report, the service and the logs carry (byte for byte as before the kinds); the Chinese text
# is what a report in zh shows. pydantic's own errors keep pydantic's English message (English
# template None) and take their Chinese from here by pydantic's `type`.
MESSAGES: dict[ErrorKind, tuple[str, str | None]] = {
    # reading a file
    ErrorKind.no_such_file: ("没有这个文件或目录", "no such file or directory"),
    ErrorKind.dangling_link: ("符号链接失效（其目标不存在）", "dangling symbolic link (its target does not exist)"),
    ErrorKind.cannot_read: ("无法读取（{reason}）", "cannot read: {reason}"),
    ErrorKind.cannot_read_directory: ("无法读取目录（{reason}）", "cannot read directory: {reason}"),
    ErrorKind.journal_missing: ("没有这个日志文件", "no such journal file"),
    ErrorKind.journal_not_database: ("无法作为 `SQLite` 数据库打开（`SQLite`：“{detail}”）", "{detail}"),
    ErrorKind.journal_foreign_database: ("是 `SQLite` 数据库，但不是 cadre-rules 日志（表：`{tables}`）；未作任何改动",
                                         "an SQLite database that is not a cadre-rules journal (tables: {tables}); not touching it"),
    ErrorKind.journal_no_tables: ("不是 cadre-rules 日志（没有 `entries`、`meta` 表）", "not a cadre-rules journal (no entries/meta tables)"),
    ErrorKind.journal_unknown_format: ("未知的日志格式 {format}（应为 {expected}）", "unknown journal format {format} (expected {expected})"),
    ErrorKind.journal_bad_meta: ("无法读取日志的 `{key}`：{value}", "unreadable {key} {value}"),
    ErrorKind.stdin_not_json_lines: ("标准输入按 `JSON Lines` 格式读取，每行一个案例（JSON 对象），此行不是：YAML 或 JSON 案例文件请给出其路径（共 {lines} 行未读）",
                                     "standard input is read as JSON Lines, one case a line (a JSON object), and this line "
                                     "is not one: give a YAML or JSON case file by its path (lines not read: {lines})"),
    ErrorKind.not_case_file: ("不是案例文件（应为 {suffixes}）", "not a case file (expected {suffixes})"),
    ErrorKind.not_regular_file: ("{what}，不是普通文件：案例文件必须是普通文件",
                                 "{what}, not a regular file: case files must be regular files"),
    ErrorKind.file_too_large: ("文件过大（{size} 字节；上限为 {limit} 字节，可用环境变量 CADRE_RULES_MAX_CASE_BYTES 调整）",
                               "file too large ({size} bytes; the limit is {limit}, set CADRE_RULES_MAX_CASE_BYTES to change it)"),
    ErrorKind.line_too_long: ("行过长（{size} 字节；上限为 {limit} 字节，可用环境变量 CADRE_RULES_MAX_CASE_BYTES 调整）",
                              "line too long ({size} bytes; the limit is {limit}, set CADRE_RULES_MAX_CASE_BYTES to change it)"),
    ErrorKind.not_utf8: ("不是 UTF-8 编码：第 {column} 列的字节 0x{byte}", "not UTF-8: byte 0x{byte} at column {column}"),
    ErrorKind.not_utf8_text: ("不是 UTF-8 编码", "not UTF-8: {reason}"),
    ErrorKind.invalid_json: ("JSON 格式错误：{detail}", "invalid JSON: {detail}"),
    ErrorKind.invalid_yaml: ("YAML 格式错误：{detail}", "invalid YAML: {detail}"),
    ErrorKind.duplicate_key: ("键 {key} 重复：同一映射中一个键只能出现一次", "duplicate key {key}: a key may appear once in a mapping"),
    ErrorKind.duplicate_yaml_key: ("键 {key} 重复（首次出现在第 {first} 行）：同一映射中一个键只能出现一次",
                                   "duplicate key {key} (first at line {first}): a key may appear once in a mapping"),
    ErrorKind.yaml_alias: ("案例文件中不允许使用 YAML 锚点和别名（&name、*name）：请逐一写出每个值",
                           "YAML anchors and aliases (&name, *name) are not allowed in case files: write each value out"),
    ErrorKind.yaml_tag: ("案例文件中不允许使用标签 {tag}", "the tag {tag} is not allowed in case files"),
    ErrorKind.yaml_documents: ("应只有一个文档，却发现了另一个", "expected a single document, found another"),
    ErrorKind.string_over_limit: ("字符串过长（超过 {limit} 个字符）", "string too long (more than {limit} characters)"),
    ErrorKind.number_over_limit: ("数字过长（超过 {limit} 位）", "number too long (more than {limit} digits)"),
    ErrorKind.nesting_over_limit: ("嵌套过深（超过 {limit} 层）", "too deeply nested (more than {limit} levels)"),
    ErrorKind.lone_surrogate: ("单独的代理码位（\\ud800-\\udfff）不是字符{advice}",
                               "a lone surrogate (\\ud800-\\udfff) is not a character{advice}"),
    ErrorKind.bad_limit_setting: ("{var}={raw}：应为正整数", "{var}={raw}: expected a positive whole number"),
    ErrorKind.limit_setting_too_high: ("{var}={raw}：最大为 {most}（更深的嵌套本程序无法读取）",
                                       "{var}={raw}: at most {most} (deeper nesting cannot be read here)"),
    ErrorKind.case_not_mapping: ("案例应为映射（键值对），而不是{type}", "a case must be a mapping, not {type}"),
    ErrorKind.expected_one_case: ("应有一个案例，实有 {count} 个", "expected one case, found {count}"),
    ErrorKind.internal_error: ("内部错误（`{type}`）", "internal error: {type}"),
    ErrorKind.no_document: ("没有文档（空值）", "no document (null)"),
    ErrorKind.not_a_document: ("不是 JSON 文档（{type}）", "not a JSON document ({type})"),
    ErrorKind.internal_error_judging: ("判断时出现内部错误（`{type}`）", "internal error while judging: {type}: {detail}"),
    # the case's integrity
    ErrorKind.duplicate_id: ('重复的编号 "{id}"', 'duplicate id "{id}"'),
    ErrorKind.open_case_without_as_of: ("未结案的案例须填写记录截至日期（as_of）",
                                        "an open case needs the date its record is complete to (as_of)"),
    ErrorKind.post_at_non_leading_level: ('"{level}"（{name}）是非领导职务层级，领导职务在副科（section_deputy）以上',
                                          '"{level}" ({name}) is a non-leading level: a leading post is at section_deputy (副科) level or above'),
    ErrorKind.unknown_member: ('未知的班子成员 "{id}"', 'unknown member "{id}"'),
    ErrorKind.unknown_candidate: ('未知的考察对象 "{id}"', 'unknown candidate "{id}"'),
    ErrorKind.unknown_person: ('未知的人员 "{id}"', 'unknown person "{id}"'),
    ErrorKind.unknown_recommendation: ('未知的推荐轮次 "{id}"', 'unknown recommendation round "{id}"'),
    ErrorKind.unknown_prior_report: ('未知的事先报告 "{id}"', 'unknown prior report "{id}"'),
    ErrorKind.inspection_completed_before_start: ("考察完成日期 {completed} 早于考察开始日期 {start}",
                                                  "{completed} is before the inspection start {start}"),
    ErrorKind.closed_before_received: ("{date} 早于收到日期（{received}）", "{date} is before it was received ({received})"),
    ErrorKind.publicity_end_before_start: ("公示结束日期 {end} 早于公示开始日期 {start}",
                                           "{end} is before the publicity start {start}"),
    ErrorKind.notice_before_decision: ("任职通知日期 {date} 早于 {decided} 的决定",
                                       "appointment notice {date} is before the decision of {decided}"),
    ErrorKind.filing_before_notice: ("备案日期 {date} 早于 {notice} 的任职通知",
                                     "filing {date} is before the appointment notice of {notice}"),
    ErrorKind.reply_before_submission: ("批复日期 {reply} 早于报告报送日期（{submitted}）",
                                        "{reply} is before the report was submitted ({submitted})"),
    ErrorKind.left_before_decided: ("离任日期 {left} 早于作出离任决定的日期（{decided}）",
                                    "{left} is before the departure was decided ({decided})"),
    ErrorKind.work_start_before_birth: ("参加工作时间 {work_start} 早于出生日期 {birth}",
                                        "{work_start} is before the birth date {birth}"),
    ErrorKind.end_before_start: ("结束日期 {end} 早于开始日期 {start}", "{end} is before the start {start}"),
    ErrorKind.speaker_not_attendee: ('"{member}" 有发言，但不在出席人员之中', '"{member}" speaks but is not among the attendees'),
    ErrorKind.votes_exceed_due: ("投票共 {cast} 票，但应到成员只有 {due} 人", "{cast} votes cast but only {due} members are due"),
    ErrorKind.sanction_period_unknown: ('{system}类处理 "{type}" 没有已知的影响期：请填写 period_months',
                                        'no known influence period for {system} "{type}": record period_months'),
    # the organisation register
    ErrorKind.register_not_mapping: ("台账应为映射（键值对），而不是{type}", "a register must be a mapping, not {type}"),
    ErrorKind.register_suffix: ("台账应为 .yaml、.yml 或 .json 文件，或 .xlsx 工作簿",
                                "a register is a .yaml, .yml or .json file, or an .xlsx workbook"),
    ErrorKind.register_not_found: ("没有这个文件", "no such file"),
    ErrorKind.expected_one_register: ("应有一份台账，实有 {count} 份", "expected one register, found {count}"),
    ErrorKind.duplicate_register_id: ('重复的{what} "{id}"', 'duplicate {what} "{id}"'),
    ErrorKind.quota_period_order: ("职数期间起始日期 {since} 不晚于上一期间（{previous}）",
                                   "{since} is not after the previous period ({previous})"),
    ErrorKind.unknown_post: ('未知的职位 "{id}"', 'unknown post "{id}"'),
    ErrorKind.unknown_unit: ('未知的单位 "{id}"', 'unknown unit "{id}"'),
    ErrorKind.decided_before_start: ("离任决定日期 {date} 早于任职开始日期 {start}", "{date} is before the start {start}"),
    ErrorKind.successor_without_settled: ("记录了接任者到任，却没有记录离任确定的日期",
                                          "a successor without the date the departure was settled"),
    ErrorKind.successor_before_settled: ("接任者到任日期 {date} 早于离任确定日期（{settled}）",
                                         "{date} is before the departure was settled ({settled})"),
    ErrorKind.completed_before_decided: ("完成日期 {completed} 早于决定日期（{decided}）",
                                         "{completed} is before it was decided ({decided})"),
    ErrorKind.no_tenure_of_leader: ('单位 "{unit}" 没有记录主要领导 "{leader}" 的任职',
                                    'unit "{unit}" records no tenure of leader "{leader}"'),
    ErrorKind.unit_not_in_register: ('台账中没有单位 "{unit}"', 'no unit "{unit}" in the register'),
    # workbooks
    ErrorKind.workbook_not_found: ("{path}：没有这个文件", "{path}: no such file"),
    ErrorKind.not_a_workbook: ("{path}：不是 .xlsx 工作簿（`{type}`）", "{path}: not an .xlsx workbook ({type})"),
    ErrorKind.sheet_missing: ("缺少工作表：{why}", "sheet missing: {why}"),
    ErrorKind.no_header_row: ("没有表头行", "no header row"),
    ErrorKind.column_missing: ("缺少必填列", "required column missing"),
    ErrorKind.value_missing: ("缺少必填值", "required value missing"),
    ErrorKind.not_whole_number: ("应为整数（实际为 {value}）", "not a whole number: {value}"),
    ErrorKind.not_yes_no: ("应为“是”或“否”（实际为 {value}）", "not yes/no (是/否): {value}"),
    ErrorKind.unknown_code: ("代码表 `{table}` 中没有代码 {value}（可用的：{known}{more}）",
                             "unknown code {value} for {table} (known: {known}{more})"),
    ErrorKind.cell_not_a_date: ("不是有效日期：{value}（{how}）", "not a date: {value} ({how})"),
    ErrorKind.cell_not_a_month: ("不是有效月份：{value}", "not a month: {value}"),
    ErrorKind.date_needs_day: ("{value} 只有月份，此处的日期须写到日", "{value} gives only a month; this date needs the day"),
    ErrorKind.second_register_row: ("台账表只有一行，这是第二行", "the register sheet has one row; this is a second"),
    ErrorKind.no_register_row: ("没有台账行：请填写名册完整截至的日期", "no register row: write the date the roster is complete to"),
    ErrorKind.unit_defined_twice: ('单位 "{id}" 已在第 {first} 行定义', 'unit "{id}" already defined in row {first}'),
    ErrorKind.sheet_unknown_unit: ('未知的单位 "{id}"（不在「单位」表中）', 'unknown unit "{id}" (not in the 单位 sheet)'),
    ErrorKind.sheet_unknown_post: ('单位 "{unit}" 没有职位 "{post}"（不在「职位」表中）',
                                   'unknown post "{post}" of unit "{unit}" (not in the 职位 sheet)'),
    ErrorKind.no_case_id: ("缺少案例编号", "no case id"),
    ErrorKind.case_defined_twice: ("案例 {id} 已在第 {first} 行定义", "case {id} already defined in row {first}"),
    ErrorKind.sheet_unknown_case: ("未知的案例 {id}（不在「案例」表中）", "unknown case {id} (not in the cases sheet)"),
    ErrorKind.sheet_unknown_record: ("未知的{what} {id}", "unknown {what} {id}"),
    ErrorKind.differs_from_earlier_row: ("与同一记录前面一行的值（{value}）不同", "differs from an earlier row of the same record ({value})"),
    ErrorKind.attendee_without_role: ("{value}：请写作 姓名（身份）", "{value}: write 姓名（身份）"),
    # waiver files
    ErrorKind.waivers_not_a_list: ("应为豁免列表（或含 `waivers:` 的映射）", "expected a list of waivers (or a mapping with `waivers:`)"),
    ErrorKind.waiver_not_a_mapping: ("第 {number} 项豁免：应为含 {fields} 的映射", "waiver {number}: expected a mapping with {fields}"),
    ErrorKind.waiver_unknown_field: ("未知字段 {key}（可用的字段：{known}）", "unknown field {key} (known: {known})"),
    ErrorKind.waiver_field_required: ("第 {number} 项豁免：缺少 `{key}`", "waiver {number}: `{key}` is required"),
    ErrorKind.waiver_field_text: ("`{key}` 应为文字", "`{key}` must be text"),
    ErrorKind.waiver_field_date: ("`{key}` 应为日期 YYYY-MM-DD，而不是 {value}", "`{key}` must be a date YYYY-MM-DD, not {value}"),
    ErrorKind.waiver_unknown_rule: ('豁免所指的规则 "{rule}" 不存在', 'waiver names unknown rule "{rule}"'),
    ErrorKind.waiver_duplicate: ('案例 "{case}"、规则 {rule} 的豁免重复（首次在第 {first} 行）',
                                 "duplicate waiver for case {case} and rule {rule} (first at line {first})"),
    ErrorKind.waiver_unknown_case: ('豁免所指的案例 "{case}" 不在本次审计的案例之中',
                                    'waiver names unknown case "{case}" (not among the audited cases)'),
    # supervision record files
    ErrorKind.record_too_large: ("文件过大（超过 {limit} 字节）", "larger than {limit} bytes"),
    ErrorKind.record_not_utf8: ("不是 UTF-8 编码的文本", "not UTF-8 text"),
    ErrorKind.record_invalid_json: ("JSON 格式错误：{detail}", "not valid JSON: {detail}"),
    ErrorKind.record_invalid_yaml: ("YAML 格式错误：{detail}", "not valid YAML: {detail}"),
    ErrorKind.record_not_mapping: ("文件应为映射（键值对），而不是{type}", "the file must hold a mapping, not {type}"),
    ErrorKind.record_unknown_field: ("未知字段", "unknown field"),
    ErrorKind.record_field_missing: ("缺少必填字段", "required field missing"),
    ErrorKind.present_exceeds_expected: ("实际参加人数（{present}）超过应参加人数（{expected}）",
                                         "present ({present}) exceeds expected ({expected})"),
    ErrorKind.negative_group: ("有一类人员的人数为负数", "a group count is negative"),
    ErrorKind.groups_exceed_present: ("各类人员合计 {total} 人，多于实际参加人数（{present}）",
                                      "the groups add up to {total}, more than present ({present})"),
    ErrorKind.forms_exceed_present: ("选拔任用工作评议共计 {forms} 张票，多于实际参加的 {present} 人",
                                     "work: {forms} forms counted, more than the {present} present"),
    ErrorKind.appointee_used_twice: ('appointees[{index}]：编号 "{id}" 用了两次', "appointees[{index}]: the id {id!r} is used twice"),
    ErrorKind.appointee_forms_exceed_present: ('appointees[{index}]（"{id}"）：共计 {forms} 张票，多于实际参加的 {present} 人',
                                               "appointees[{index}] ({id}): {forms} forms counted, more than the {present} present"),
    ErrorKind.empty_team_target: ("目标至少应设定 `min_women`、`young`、`max_average_age`、`education`、`min_specialties` 之一",
                                  "a target sets at least one of min_women, young, max_average_age, education, min_specialties"),
    ErrorKind.age_tiers_order: ("age_tiers 应为从 18 岁起递增的年龄，至少一个",
                                "age_tiers are ascending ages from 18 up, at least one"),
    ErrorKind.record_for_another_year: ('{what}是 {year} 年度 "{organisation}" 的，不是 {want_year} 年度 "{want_organisation}" 的',
                                        "the {what} record is for {year} {organisation}, not {want_year} {want_organisation}"),
    ErrorKind.spotcheck_record_shape: ("不是 `cadre-rules spotcheck --record` 写出的抽查记录：{field}应为{want}",
                                       "not a spot-check record as `cadre-rules spotcheck --record` writes it: {field} "
                                       "should be {want}"),
    # rulebooks
    ErrorKind.rule_invalid_yaml: ("YAML 格式错误：{detail}", "invalid YAML: {detail}"),
    ErrorKind.rule_bad_date: ("日期无效：{value}", "bad date {value}"),
    ErrorKind.rule_unknown_edition: ("未知的版本 {edition}（已知的版本：{known}）", "unknown edition {edition} (known: {known})"),
    ErrorKind.rule_unknown_source: ("未知的{what} {tag}", "unknown {what} {tag}"),
    ErrorKind.rule_yaml_alias: ("规则库文件中不允许使用 YAML 锚点和别名（&、*）",
                                "YAML anchors and aliases (&, *) are not allowed in rulebook files"),
    ErrorKind.rule_yaml_too_deep: ("YAML 嵌套超过 {limit} 层", "YAML nested more than {limit} levels deep"),
    ErrorKind.rule_number_too_long: ("数字超过 {limit} 位", "a number of more than {limit} digits"),
    ErrorKind.rule_file_too_large: ("文件大于 {limit} 兆字节", "the file is larger than {limit} MB"),
    ErrorKind.rule_cannot_read: ("无法读取（{reason}）", "cannot read: {reason}"),
    ErrorKind.rule_file_missing: ("缺少此文件", "missing"),
    ErrorKind.rule_malformed: ("{what}的结构无法识别（`{type}`：{detail}）", "malformed {what} ({type}: {detail})"),
    ErrorKind.rule_editions_not_list: ("应为含 `editions` 列表的映射", "expected a mapping with an 'editions' list"),
    ErrorKind.rule_edition_not_mapping: ("每个版本都应为映射（键值对）", "an edition must be a mapping"),
    ErrorKind.rule_edition_needs_id: ("版本须有编号（`id`）和有效的起始日期（`from`）", "an edition needs an id and a valid 'from' date"),
    ErrorKind.rule_duplicate_edition: ("版本编号重复", "duplicate edition id"),
    ErrorKind.rule_document_titles: ("`documents`：{name} 须有 `zh` 和 `en` 标题", "documents: {name} needs zh and en titles"),
    ErrorKind.rule_file_not_rules: ("规则文件应为含 `rules` 列表的映射", "a rule file is a mapping with a 'rules' list"),
    ErrorKind.rule_each_mapping: ("每条{what}都应为映射（键值对）", "each {what} must be a mapping"),
    ErrorKind.rule_unknown_key: ("未知的键 {key}{place}（可用的键：`{known}`）", "unknown key {key}{place} (allowed: {known})"),
    ErrorKind.rule_missing_key: ("缺少必填的键 {key}", "missing required key {key}"),
    ErrorKind.rule_one_of: ("{key} 应为以下之一：`{known}`", "{key} must be one of {known}"),
    ErrorKind.rule_must_be_mapping: ("`{key}` 应为映射（键值对）", "{key} must be a mapping"),
    ErrorKind.rule_needs_zh_en: ("`{key}` 须有非空的 `zh` 和 `en` 文字{why}", "{key} needs non-empty zh and en texts{why}"),
    ErrorKind.rule_text_extra_keys: ("`{key}` 除 `zh` 和 `en` 外还有其他键（{extra}）；含逗号的文字请加引号",
                                     "{key} has keys other than zh and en ({extra}); quote a text that contains a comma"),
    ErrorKind.rule_basis_verified: ("引文须注明是否已核实：`verified: true|false`", "basis needs verified: true|false"),
    ErrorKind.rule_verified_confidence: ("已核实（`verified`）的条文，其可信度（`confidence`）须为 `high`，而不是 {confidence}",
                                         "an article marked verified must have confidence high, not {confidence}"),
    ErrorKind.rule_basis_empty: ("依据（`basis`）须至少列出一条引文", "basis must list at least one citation"),
    ErrorKind.rule_parameter_spec: ("参数 {name} 须有类型（`type`：`{kinds}`）和默认值（`default`）",
                                    "parameter {name} needs type ({kinds}) and default"),
    ErrorKind.rule_default_type: ("参数 {name} 的默认值 {value} 不是{kind}", "default {value} of parameter {name} is not {kind}"),
    ErrorKind.rule_value_type: ("{what} `{name}` 的值 {value} 不是{kind}", "{what} {name}={value} is not {kind}"),
    ErrorKind.rule_undeclared_parameter: ("版本 `{edition}` 的引文设置了未声明的参数 {name}",
                                          "basis {edition} sets undeclared parameter {name}"),
    ErrorKind.rule_unknown_parameter: ("{what}设置了未知的参数 {name}", "{what} sets unknown parameter {name}"),
    ErrorKind.rule_id_format: ("规则编号应形如 `{example}`（大写字母、数字和连字符）",
                               "rule ids look like {example} (capitals, digits, hyphens)"),
    ErrorKind.rule_duplicate_id: ("规则编号重复（首次定义于 `{first}`）", "duplicate rule id (first defined at {first})"),
    ErrorKind.rule_unknown_stage: ("未知的环节 {stage}（可用的环节：`{known}`）", "unknown stage {stage} (stages: {known})"),
    ErrorKind.rule_pending_pair: ("`pending_when` 与 `pending_message` 须同时给出（待定的发现不能读作违规）",
                                  "pending_when and pending_message go together (a pending finding must not read as a violation)"),
    ErrorKind.rule_variants_shape: ("`message_variants` 应列出形如 `{{when: CONDITION, zh: ..., en: ...}}` 的映射",
                                    "message_variants must list {{when: CONDITION, zh: ..., en: ...}} mappings"),
    ErrorKind.rule_variant_keys: ("`message_variants` 的每一项须恰有 `when` 以及非空的 `zh` 和 `en` 文字（含逗号的文字请加引号）",
                                  "each of message_variants needs exactly: when, and non-empty zh and en texts "
                                  "(quote a text that contains a comma)"),
    ErrorKind.rule_effective: ("`effective` 须有有效的起始日期 `from`（`to` 可选）", "effective needs a valid 'from' date (and optional 'to')"),
    ErrorKind.rule_catalogue_shape: ("`catalogue` 应为映射 `{{row, severity, confidence}}`",
                                     "catalogue must be a mapping {{row, severity, confidence}}"),
    ErrorKind.rule_catalogue_severity: ("未知的目录严重程度 {mark}（`legend.yaml` 中的：{known}）",
                                        "unknown catalogue severity {mark} (legend.yaml: {known})"),
    ErrorKind.rule_match_shape: ("`match` 应把别名映射到事实类型，例如 `{{item: item}}`",
                                 "match must map aliases to fact types, e.g. {{item: item}}"),
    ErrorKind.rule_match_names: ("`match` 的别名和事实类型都应为普通名称", "match maps alias names to fact type names, both plain names"),
    ErrorKind.rule_unknown_fact_type: ("未知的事实类型 {fact_type}（适用范围 `{scope}`；已知的事实类型：`{known}`）",
                                       "unknown fact type {fact_type} for scope {scope} (known: {known})"),
    ErrorKind.rule_alias_reserved: ("别名 {alias} 是保留字", "alias {alias} is reserved"),
    ErrorKind.rule_escalate_shape: ("`escalate` 须恰有严重程度 `severity`（`violation|warning|info`）和条件 `when`",
                                    "escalate needs exactly: severity (violation|warning|info) and when"),
    ErrorKind.rule_mutation_shape: ("`mutation` 应为 `{{equivalent: {{mutant id: reason}}}}`，且每项理由不能为空",
                                    "mutation must be {{equivalent: {{mutant id: reason}}}} with a non-empty reason for each"),
    ErrorKind.rule_expression_empty: ("`{key}` 应为非空的表达式", "{key} must be a non-empty expression"),
    ErrorKind.rule_condition: ("`{key}`：{problem}（第 {column} 列：{text}）", "{key}: {problem} (column {column}: {text})"),
    ErrorKind.rule_unknown_placeholder: ("`{key}.{lang}`：未知的占位符 `{{{placeholder}}}`", "{key}.{lang}: unknown placeholder {{{placeholder}}}"),
    ErrorKind.rule_profile_shape: ("配置文件（`profile`）应为含 `id` 和 `overrides` 的映射", "a profile is a mapping with an 'id' and 'overrides'"),
    ErrorKind.rule_unknown_profile: ("未知的配置 {profile}{why}", "unknown profile {profile}{why}"),
    ErrorKind.rule_overrides_shape: ("`overrides` 应把规则编号映射到所作的调整", "overrides must map rule ids to changes"),
    ErrorKind.rule_override_keys: ("调整只能设置 `severity` 和 `parameters`", "an override may set only 'severity' and 'parameters'"),
    ErrorKind.rule_names_unknown_rule: ("{what}所指的规则不存在{near}", "{what} names an unknown rule{near}"),
    ErrorKind.rule_guard_not_rule: ("环节转换 `{source} -> {target}` 的把关规则不是已有的规则",
                                    "guard of {source} -> {target} is not a rule"),
    # layered and installed rulebooks
    ErrorKind.rule_not_found: ("找不到规则库目录，也没有以此为名的已安装规则库（已安装的：`{known}`）{near}",
                               "rulebook directory not found, and no installed rulebook has that name (installed: {known}){near}"),
    ErrorKind.rule_installed_broken: ("无法加载已安装的规则库 {name}（`{value}`）：`{type}`：{detail}",
                                      "installed rulebook {name} cannot be loaded ({value}): {type}: {detail}"),
    ErrorKind.rule_installed_not_directory: ("已安装的规则库 {name}（`{value}`）没有指向一个目录",
                                             "installed rulebook {name} ({value}) does not name a directory"),
    ErrorKind.rule_manifest_shape: ("分层规则库的清单应为含 `id` 和 `extends` 的映射",
                                    "a layered rulebook's manifest is a mapping with 'id' and 'extends'"),
    ErrorKind.rule_manifest_unknown_key: ("未知的键 {key}{near}", "unknown key {key}{near}"),
    ErrorKind.rule_layer_id: ("须有 `id`（本层规则库的名称）", "'id' (the layer's name) is required"),
    ErrorKind.rule_layer_extends: ("须有 `extends`：`national`、一个目录，或已安装规则库的名称",
                                   "'extends' is required: 'national', a directory, or an installed rulebook's name"),
    ErrorKind.rule_layer_profile: ("`profile` 应为基础规则库中某一配置的名称", "'profile' must be the name of a profile of the base"),
    ErrorKind.rule_layer_cycle: ("所扩展的 {extends} 又扩展了本规则库（循环扩展）",
                                 "extends {extends}, which extends this rulebook again (a cycle)"),
    ErrorKind.rule_base_has_rule: ("基础规则库已有此规则（`{first}`）：请在 `rulebook.yaml` 的 `overrides` 中调整它，"
                                   "或在那里停用它，另以新编号增加规则",
                                   "the base rulebook already has this rule ({first}): change it with 'overrides' in "
                                   "rulebook.yaml, or disable it there and add a rule with a new id"),
    ErrorKind.rule_disable_shape: ("`disable` 应把规则编号映射到 `{{reason: …}}`", "disable must map rule ids to {{reason: …}}"),
    ErrorKind.rule_disable_reason: ("停用规则须记录理由：`{{reason: …}}`", "a rule is disabled only with a recorded reason: {{reason: …}}"),
    ErrorKind.rule_disable_keys: ("未知的键 `{keys}`（停用的规则可有的键：`{known}`）",
                                  "unknown key(s) {keys} (a disabled rule has {known})"),
    ErrorKind.rule_disable_guard: ("此规则把关环节转换 `{source} -> {target}`，不能停用（可在 `overrides` 中降低其严重程度）",
                                   "guards the workflow transition {source} -> {target} and cannot be disabled "
                                   "(lower its severity with 'overrides' instead)"),
    # the workflow, the legend, accountability and the two reviews
    ErrorKind.rule_workflow_shape: ("`workflow` 应为含 `start`、`stages`、`terminal`、`transitions` 的映射",
                                    "workflow must be a mapping with start, stages, terminal, transitions"),
    ErrorKind.rule_stage_entry: ("每个环节须有 `id`、`zh` 和 `en`", "each stage needs id, zh and en"),
    ErrorKind.rule_transition_stage: ("环节转换 {source} -> {target} 用了未声明的环节", "transition {source} -> {target} names an undeclared stage"),
    ErrorKind.rule_stage_undeclared: ("{which}环节 {stage} 未声明", "{which} stage {stage} is not declared"),
    ErrorKind.rule_stage_unreachable: ("从 {start} 无法到达环节 {stage}", "stage {stage} cannot be reached from {start}"),
    ErrorKind.rule_stage_dead_end: ("环节 {stage} 是死路（无法到达任何终止环节）", "stage {stage} is a dead end (no way to a terminal stage)"),
    ErrorKind.rule_list_file: ("应为含 {key} 列表的映射", "expected a mapping with a {key} list"),
    ErrorKind.rule_entry_needs_id: ("{key} 的每一项都须有 `id`", "each entry of {key} needs an id"),
    ErrorKind.rule_source_id: ("来源编号应形如 `S12`", "a source id looks like S12"),
    ErrorKind.rule_duplicate_source: ("来源编号重复", "duplicate source id"),
    ErrorKind.rule_source_fields: ("来源须有标题（`title`）和可读到原文之处（`where`）",
                                   "a source needs a title and where it can be read ('where')"),
    ErrorKind.rule_question_id: ("待决问题编号应形如 `O3`，且不能重复", "an open question id looks like O3 and is unique"),
    ErrorKind.rule_question_fields: ("待决问题须有 `question` 和 `assumes`（在此期间规则库所作的假定）",
                                     "an open question needs 'question' and 'assumes' (what the rulebook assumes meanwhile)"),
    ErrorKind.rule_accountability_shape: ("问责文件应为映射（`instruments`、`roles`、`rules`、`stages`）",
                                          "the accountability file is a mapping (instruments, roles, rules, stages)"),
    ErrorKind.rule_needs_texts: ("`{key}` 须有 `zh` 和 `en` 文字", "{key} needs zh and en texts"),
    ErrorKind.rule_not_instrument: ("{key} 不是本文件的依据文件（依据文件：{known}）",
                                    "{key} is not an instrument of this file (instruments: {known})"),
    ErrorKind.rule_citation_shape: ("引文应为映射（`article`、`confidence`、`verified` …）",
                                    "a citation is a mapping (article, confidence, verified …)"),
    ErrorKind.rule_unknown_role: ("未知的责任角色 {role}（`AccountableRole`：`{known}`）", "unknown role {role} (AccountableRole: {known})"),
    ErrorKind.rule_unknown_rule_id: ("未知的规则编号", "unknown rule id"),
    ErrorKind.rule_roles_list: ("规则应对应一个责任角色列表", "a rule maps to a list of roles"),
    ErrorKind.rule_unknown_stage_name: ("未知的环节 {stage}", "unknown stage {stage}"),
    ErrorKind.rule_reviews_shape: ("两项评议文件应有 `thresholds:` 列表", "the reviews file has a `thresholds:` list"),
    ErrorKind.rule_threshold_shape: ("每个阈值都应为含 `id` 的映射", "each threshold is a mapping with an id"),
    ErrorKind.rule_duplicate_threshold: ("阈值编号重复", "duplicate threshold id"),
    ErrorKind.rule_measure: ("{measure} 不是{form}的选项（也不是 `{favourable}`）：`{known}`",
                             "measure {measure} is not an option of the {form} review (nor {favourable}): {known}"),
    ErrorKind.rule_threshold_bound: ("阈值须恰有 `above` 和 `below` 之一", "a threshold has exactly one of above / below"),
    ErrorKind.rule_fraction: ('{key}应为 0 到 1 之间的分数（如 "1/3"、0.25）', '{key}must be a fraction between 0 and 1 ("1/3", 0.25)'),
    ErrorKind.rule_threshold_texts: ("`title` 和 `follow_up` 须有 `zh` 和 `en`", "title and follow_up need zh and en"),
    ErrorKind.rule_local_figure_read: ("本地设定的数值须列出已查阅、未作规定的条文（`figure.read`）",
                                       "a local figure names the articles read that set none (figure.read)"),
    ErrorKind.rule_instrument_figure: ("取自文件的数值须在依据（`basis`）中有一条已核实的条文",
                                       "a figure taken from an instrument needs a verified article in basis"),
    ErrorKind.rule_thresholds_shape: ('`review_thresholds` 应把阈值编号映射到分数（如 "1/4"）',
                                      'review_thresholds maps threshold ids to fractions ("1/4")'),
    ErrorKind.rule_unknown_threshold: ("未知的评议阈值（已知的：{known}）", "unknown review threshold (known: {known})"),
    ErrorKind.rule_threshold_not_local: ("此数值不是本地参数（`rules/reviews.yaml` 中其 `figure.kind` 不是 `local`）",
                                         "this figure is not a local parameter (rules/reviews.yaml: figure.kind is not local)"),
    # the condition language
    ErrorKind.condition_too_long: ("条件长 {length} 个字符（最多 {limit} 个）", "the condition is {length} characters long (at most {limit})"),
    ErrorKind.condition_too_deep: ("条件嵌套超过 {limit} 层", "the condition nests more than {limit} levels deep"),
    ErrorKind.condition_chain_too_deep: ("条件嵌套超过 {limit} 层（{length} 个运算符连成一串）",
                                         "the condition nests more than {limit} levels deep (a chain of {length} operators)"),
    ErrorKind.condition_unexpected_character: ("意外的字符 {char}", "unexpected character {char}"),
    ErrorKind.condition_escape_not_character: ("转义 {escape} 不是 Unicode 字符", "bad escape {escape}: not a Unicode character"),
    ErrorKind.condition_unknown_escape: ("无效的转义 {escape}（可用的转义：`\\\\ \\\" \\' \\n \\t \\r \\uXXXX \\UXXXXXXXX`）",
                                         "bad escape {escape} (allowed: \\\\ \\\" \\' \\n \\t \\r \\uXXXX \\UXXXXXXXX)"),
    ErrorKind.condition_expected: ("此处应为{expected}，实际为{found}", "expected {expected} but found {found}"),
    ErrorKind.condition_unexpected: ("意外的 {token}", "unexpected {token}"),
    ErrorKind.condition_date_argument: ('`date()` 的参数应为带引号的日期（YYYY-MM-DD），例如 `date("2019-03-03")`',
                                        'date() takes a quoted ISO date, e.g. date("2019-03-03")'),
    ErrorKind.condition_unknown_function: ("未知的函数 {name}（已知的函数：`{known}`）", "unknown function {name} (known: {known})"),
    ErrorKind.condition_wrong_type: ("条件应为{expected}，实际为{kind}", "the condition must be {expected}, but it is {kind}"),
    ErrorKind.condition_unknown_alias: ("未知的别名 {alias}（可用的别名：{known}）", "unknown alias {alias} (in scope: {known})"),
    ErrorKind.condition_unknown_field: ("未知的字段 `{field}`（事实类型 {fact_type} 的字段：`{known}`）",
                                        "unknown field {field} (fact type {fact_type} has: {known})"),
    ErrorKind.condition_unknown_parameter: ("未知的参数 `param.{name}`（已声明的参数：{known}）",
                                            "unknown parameter param.{name} (declared: {known})"),
    ErrorKind.condition_mixed_list: ("列表中混有不同类型的值：{kinds}", "a list mixes {kinds}"),
    ErrorKind.condition_cannot_negate: ("不能对{kind}取负", "cannot negate {kind}"),
    ErrorKind.condition_arithmetic: ("运算 {op} 需要数值，不能用于{left}和{right}", "arithmetic {op} needs numbers, not {left} and {right}"),
    ErrorKind.condition_in_needs_list: ("{op} 的右边应为列表，而不是{right}", "{op} needs a list on the right, not {right}"),
    ErrorKind.condition_in_needs_value: ("{op} 的左边应为文字或数值，而不是{left}", "{op} needs a text or number on the left, not {left}"),
    ErrorKind.condition_null_order: ("与 `null` 比较只能用 == 或 !=，不能用 {op}", "only == and != compare with null, not {op}"),
    ErrorKind.condition_cannot_compare: ("不能比较{left}与{right}", "cannot compare {left} with {right}"),
    ErrorKind.condition_cannot_order: ("{op} 不能比较{kind}的大小", "{op} does not order {kind} values"),
    ErrorKind.condition_bool_operands: ("{op} 的操作数应为真假值，而不是{kind}", "{op} needs true/false operands, not {kind}"),
    ErrorKind.condition_not_operand: ("'not' 的操作数应为真假值，而不是{kind}", "'not' needs a true/false operand, not {kind}"),
    ErrorKind.condition_len_argument: ("`len()` 只接受一个列表", "len() takes one list"),
    ErrorKind.condition_unknown_fact_type: ("未知的事实类型 {fact_type}（已知的事实类型：`{known}`）",
                                            "unknown fact type {fact_type} (known: {known})"),
    ErrorKind.condition_alias_bound: ("别名 {alias} 已被使用", "alias {alias} is already bound"),
    ErrorKind.condition_where_type: ("'where' 之后的条件应为真假值，而不是{kind}", "the 'where' condition must be true/false, not {kind}"),
    ErrorKind.condition_unknown_code: ("'{value}' 不是 `{field}`（`{codes}`）的代码{near}（可用的代码：`{known}`）",
                                       "'{value}' is not a code of {field} ({codes}){near} (codes: {known})"),
    ErrorKind.condition_unsupported: ("不支持的表达式 `{type}`", "unsupported expression {type}"),
    # report templates
    ErrorKind.template_cannot_read: ("{path}：无法读取{what}（{reason}）", "{path}: cannot read the {what}: {reason}"),
    ErrorKind.template_lone_dollar: ("{path}:{line}：单独的 '$'（美元符号请写作 $$）",
                                     "{path}:{line}: a lone '$' (write $$ for a dollar sign)"),
    ErrorKind.template_unknown_placeholder: ("{path}：未知的占位符 ${name}{near}；可用的占位符：{known}",
                                             "{path}: unknown placeholder ${name}{near}; the placeholders are {known}"),
    ErrorKind.template_cases_once: ("{path}：模板中 $cases（案例所在之处）应恰好出现一次，实有 {count} 次",
                                    "{path}: the template must hold $cases exactly once (where the cases go), found {count}"),
    ErrorKind.docx_template_unusable: ("{path}：不是可用的 .docx 模板（`{type}`）", "{path}: not a usable .docx template: {detail}"),
    ErrorKind.docx_template_styles: ("{path}：模板缺少段落样式 {styles}（请从自带的模板开始，见 docs/reports.md）",
                                     "{path}: the template lacks the paragraph styles {styles} "
                                     "(start from the bundled template, docs/reports.md)"),
    # workbook mapping files
    ErrorKind.mapping_cannot_read: ("无法读取（{reason}）", "cannot read: {reason}"),
    ErrorKind.mapping_invalid_yaml: ("YAML 格式错误：{detail}", "not YAML: {detail}"),
    ErrorKind.mapping_not_mapping: ("映射文件应为 YAML 映射（键值对）", "a mapping file is a YAML mapping"),
    ErrorKind.mapping_unknown_keys: ("未知的键 {keys}（可用的键：`header_row`、`sheets`、`columns`、`codes`、`dates`）",
                                     "unknown key(s) {keys}"),
    ErrorKind.mapping_header_row: ("应为从 1 起的行号", "a row number from 1, not {value}"),
    ErrorKind.mapping_names: ("应为一个名称或名称列表", "a name or a list of names, not {value}"),
    ErrorKind.mapping_no_sheet: ("模板格式中没有这个工作表", "no such sheet in the layout"),
    ErrorKind.mapping_section_not_mapping: ("应为{what}的映射（键值对）", "a mapping of {what}"),
    ErrorKind.mapping_columns_not_mapping: ("应为模板列名到本单位列名的映射", "a mapping of template header to header(s)"),
    ErrorKind.mapping_no_column: ("工作表「{sheet}」中没有这一列", "no such column in the sheet {sheet}"),
    ErrorKind.mapping_no_code_table: ("没有这个代码表（已知的代码表：`{known}`）", "no such code table (known: {known})"),
    ErrorKind.mapping_codes_not_mapping: ("应为代码取值到本单位写法的映射", "a mapping of value to label(s)"),
    ErrorKind.mapping_no_code_value: ("不是代码表 `{table}` 的取值（可用的取值：`{known}`）", "not a value of {table} ({known})"),
    ErrorKind.mapping_dates_list: ("应为日期格式的列表（如 `%Y年%m月%d日`）", "a list of strptime formats"),
    ErrorKind.mapping_date_format: ("{format} 不是可用的日期格式", "{format} is not a usable date format"),
    # holiday files
    ErrorKind.holiday_invalid_yaml: ("不是节假日文件：YAML 格式错误：{detail}", "not a holiday file: {detail}"),
    ErrorKind.holiday_file_shape: ("节假日文件应为映射，含非空列表 `years:`（见 docs/holidays.md）",
                                   "a holiday file is a mapping with a non-empty list `years:` (docs/holidays.md)"),
    ErrorKind.holiday_bundled_year: ("{year} 年已在内置的节假日数据中（{covered}）；文件只能增加年份",
                                     "{year} is in the bundled holiday data already ({covered}); a file may only add years"),
    ErrorKind.holiday_year_twice: ("{year} 年出现了两次（另见 {other}）", "{year} is given twice (also {other})"),
    ErrorKind.holiday_entry_not_mapping: ("应为含 `year`、`notice`、`holidays`、`workdays` 的映射",
                                          "expected a mapping with year, notice, holidays, workdays"),
    ErrorKind.holiday_unknown_field: ("未知字段（应为 `year`、`notice`、`holidays`、`workdays` 之一）",
                                      "unknown field (expected year, notice, holidays, workdays)"),
    ErrorKind.holiday_bad_year: ("应为年份，如 2027", "expected a year such as 2027"),
    ErrorKind.holiday_notice_missing: ("必须写明国务院的通知（文号和日期）", "the State Council notice (文号 and date) is required"),
    ErrorKind.holiday_days_not_list: ("应为日期或 `{{from, to}}` 区间的列表", "expected a list of dates or {{from, to}} ranges"),
    ErrorKind.holiday_bad_day: ("应为日期（YYYY-MM-DD）或 `{{from: 日期, to: 日期}}`",
                                "expected a date (YYYY-MM-DD) or {{from: DATE, to: DATE}}"),
    ErrorKind.holiday_day_other_year: ("{day} 不在 {year} 年内", "{day} is not in {year}"),
    ErrorKind.holiday_workday_weekday: ("{day} 是周一至周五中的一天；调休上班日应在周末",
                                        "{day} is a weekday; make-up working days (调休上班) are weekend days"),
    ErrorKind.holiday_holiday_and_workday: ("{day} 既是节假日又是调休上班日", "{day} is both a holiday and a make-up working day"),
    # meta.expected
    ErrorKind.expectation_shape: ("应为映射，把 {verdicts} 各对应到一个规则编号列表",
                                  "must map exactly {verdicts} to lists of rule ids"),
    ErrorKind.expectation_not_list: ("应为规则编号的列表", "must be a list of rule ids"),
    ErrorKind.expectation_unknown_rule: ("规则库中没有规则 {rule}", "unknown rule {rule}"),
    # inputs left out of a count
    ErrorKind.input_left_out: ("{problem}", "{problem}"),
    ErrorKind.invalid_case_left_out: ("{place}：无效，共 {count} 个问题，{where}",
                                      "{place}: invalid, {count} problem(s), first at {where}"),
    ErrorKind.judging_failed_left_out: ("{case}：判断时发生内部错误，其发现未计入",
                                        "{case}: findings not counted: internal error while judging"),
    # the model's own validators
    ErrorKind.no_such_month: ("没有 {month} 这个月", "no month {month}"),
    ErrorKind.month_format: ("月份应写作 YYYY-MM", "a month is written YYYY-MM"),
    ErrorKind.not_a_date: ("不是有效日期（{detail}）", "not a date: {detail}"),
    ErrorKind.date_format: ("日期应写作 YYYY-MM-DD，只知道月份时写作 YYYY-MM", "a date is written YYYY-MM-DD, or a month alone YYYY-MM"),
    ErrorKind.history_end_before_start: ("结束日期 {end} 早于开始日期 {start}", "end {end} is before start {start}"),
    ErrorKind.both_vote_keys: ("同时给出了 `{old}` 和 `{new}`：只写 `{new}`", "`{old}` and `{new}` both given: write only `{new}`"),
    # pydantic's errors: the English is pydantic's own message
    ErrorKind.missing: ("缺少必填字段", None),
    ErrorKind.extra_forbidden: ("未知字段", None),
    ErrorKind.literal_error: ("应为以下取值之一：{expected}", None),
    ErrorKind.enum: ("应为以下取值之一：{expected}", None),
    ErrorKind.date_from_datetime_parsing: ("应为有效日期（YYYY-MM-DD）", None),
    ErrorKind.date_from_datetime_inexact: ("应为日期，不能带时刻", None),
    ErrorKind.date_type: ("应为有效日期（YYYY-MM-DD）", None),
    ErrorKind.int_parsing: ("应为整数", None),
    ErrorKind.int_type: ("应为整数", None),
    ErrorKind.int_from_float: ("应为整数，不能有小数部分", None),
    ErrorKind.string_type: ("应为字符串", None),
    ErrorKind.bool_parsing: ("应为布尔值", None),
    ErrorKind.bool_type: ("应为布尔值", None),
    ErrorKind.list_type: ("应为列表", None),
    ErrorKind.dict_type: ("应为映射（键值对）", None),
    ErrorKind.model_type: ("应为映射（键值对）", None),
    ErrorKind.greater_than_equal: ("应大于或等于 {ge}", None),
    ErrorKind.greater_than: ("应大于 {gt}", None),
    ErrorKind.less_than: ("应小于 {lt}", None),
    ErrorKind.less_than_equal: ("应小于或等于 {le}", None),
    ErrorKind.too_short: ("至少应有 {min_length} 项（实有 {actual_length} 项）", None),
    ErrorKind.string_too_short: ("至少应有 {min_length} 个字符", None),
    ErrorKind.string_too_long: ("最多 {max_length} 个字符", None),
}


_KINDS = frozenset(ErrorKind)


# The parameters of a message that quote the input itself, beside the value found (`got`, hidden
# for every kind): a key, a tag, a case or rule id or a date as a waiver file wrote it, an engine's
# own words about a case. `audit --redact` hides them whole (report/redact.py), since any of them
# may be a name written where it does not belong and nothing tells which names to look for (an
# invalid waiver file stops the run before any case is read). What the message says of the place —
# file, line, column, field path, a waiver's number — stays.
ECHOED: dict[ErrorKind, frozenset[str]] = {
    ErrorKind.duplicate_key: frozenset({"key"}),
    ErrorKind.duplicate_yaml_key: frozenset({"key"}),
    ErrorKind.yaml_tag: frozenset({"tag"}),
    ErrorKind.internal_error_judging: frozenset({"detail"}),
    ErrorKind.waiver_unknown_field: frozenset({"key"}),
    ErrorKind.waiver_field_date: frozenset({"value"}),
    ErrorKind.waiver_unknown_rule: frozenset({"rule"}),
    ErrorKind.waiver_duplicate: frozenset({"case"}),
    ErrorKind.waiver_unknown_case: frozenset({"case"}),
}
# The parameters that are a parser's complaint: its words stay, what it quotes of the input is
# hidden (without_quotes).
COMPLAINTS: dict[ErrorKind, frozenset[str]] = {
    ErrorKind.invalid_yaml: frozenset({"detail"}),
}
_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")
# What PyYAML quotes of its own grammar: one character as Python writes it (`','`, `'\t'`,
# `'\u3000'`), or a token's name (`'<block end>'`).
_GRAMMAR = re.compile(r"[^\\]|\\(?:[\\'\"abfnrtv0]|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})|<[a-z ]+>")


def without_quotes(text: str, token: str) -> str:
    """A parser's complaint with each quoted part that may be the input's own text replaced by
    `token`. PyYAML quotes as Python does (`'…'`, `"…"`) both what it expected — a character, a
    token (`expected ',' or '}'`, `but found '<block end>'`), which stay — and the input's alias,
    anchor, tag or key, any of which may be a name (`found undefined alias 'zhangsan'`). A single
    character quoted (`but found '林'`) stays: it is the grammar's, and no name."""
    return _QUOTED.sub(lambda m: m.group(0) if _GRAMMAR.fullmatch(m.group(0)[1:-1]) else token, text)


class Said(NamedTuple):
    """A word a message shows, in both languages (a kind of file, a parser's complaint)."""

    en: str
    zh: str

    @classmethod
    def of(cls, value: "str | Said") -> "Said":
        """`value` as a Said: a text said alike in both languages (a file name and line) made one."""
        return value if isinstance(value, Said) else cls(str(value), str(value))


def _shown(value: Any, lang: str) -> str:
    """A parameter as a message shows it in `lang`: a nested Problem in that language, a Said or a
    code (codes.Code, which has a Chinese name) by language, anything else as text."""
    if isinstance(value, Problem):
        return value.text(lang)
    if isinstance(value, Said):
        return value.zh if lang == "zh" else value.en
    if lang == "zh" and isinstance(value, str) and isinstance(getattr(value, "zh", None), str):
        return value.zh  # type: ignore[attr-defined]
    return str(value)


def render(kind: ErrorKind | str, params: Mapping[str, Any] | None, lang: str) -> str:
    """The message of `kind` in `lang` ("zh" or "en") from MESSAGES, with the value found (`got`) and
    the nearest valid spelling (`hint`) after it when the parameters carry them. KeyError for a kind
    without a template in that language (pydantic's kinds have no English one: theirs is kept)."""
    zh, en = MESSAGES[ErrorKind(kind)]
    template = zh if lang == "zh" else en
    if template is None:
        raise KeyError(f"{kind}: no {lang} template")
    params = params or {}
    text = template.format(**{k: _shown(v, lang) for k, v in params.items()})
    got, hint = params.get("got"), params.get("hint")
    if lang == "zh":
        return text + (f"（实际为 {got}）" if got is not None else "") + (f'（是否应为 "{hint}"？）' if hint else "")
    return text + (f" (got {got})" if got is not None else "") + (f' (did you mean "{hint}"?)' if hint else "")


class Problem(str):
    """An input problem's English message (a plain `str` to every reader that wants the text) that
    also knows its kind and parameters, so that whoever shows it can show it in Chinese. Raised inside
    validators as `ValueError(Problem(...))`, yielded by the integrity checks, and kept in a RawCase's
    error: InputError takes the kind and parameters from it."""

    kind: ErrorKind  # the kind reported
    template: ErrorKind  # the kind whose messages render it (the kind itself, unless reported_as)
    params: dict[str, Any]

    def __new__(cls, kind: ErrorKind, /, **params: Any) -> "Problem":
        self = super().__new__(cls, render(kind, params, "en"))
        self.kind = self.template = kind
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # crosses to worker processes with its kind
        return (_problem, (self.template, self.params, self.kind))

    def text(self, lang: str) -> str:
        return render(self.template, self.params, lang)

    def with_hint(self, hint: str | None) -> "Problem":
        """The same problem with ` (did you mean "hint"?)`, when there is a hint."""
        return _problem(self.template, {**self.params, "hint": hint}, self.kind) if hint else self

    def with_params(self, params: dict[str, Any]) -> "Problem":
        """The same problem with other parameters, still of its kind: redaction (report/redact.py)
        rewrites the values a message quotes and must keep it renderable in both languages."""
        return _problem(self.template, params, self.kind)

    def reported_as(self, kind: ErrorKind) -> "Problem":
        """The same text, reported as `kind`: a problem the YAML reader found (an alias, a limit) is
        shown after `invalid YAML: ` but is of its own kind, as the same problem in JSON is."""
        return _problem(self.template, self.params, kind)


def _problem(template: ErrorKind, params: dict[str, Any], kind: ErrorKind | None = None) -> Problem:
    problem = Problem(template, **params)
    problem.kind = kind or template
    return problem


# The words of other programs' messages that input problems quote, in Chinese: json's and PyYAML's
# complaints, Python's date errors, the system's errors; a complaint not listed is quoted as it is.
_JSON_ZH = (("Expecting value", "缺少值"), ("Expecting ',' delimiter", "缺少逗号 ,"),
            ("Expecting ':' delimiter", "缺少冒号 :"), ("Expecting property name enclosed in double quotes", "键名应写在双引号中"),
            ("Unterminated string starting at", "字符串没有结束"), ("Invalid control character at", "含有无效的控制字符"),
            ("Extra data", "数据之后有多余内容"), ("Invalid \\escape", "无效的转义"), ("Invalid \\uXXXX escape", "无效的 \\uXXXX 转义"),
            ("Illegal trailing comma before end of object", "对象末尾多了逗号"),
            ("Illegal trailing comma before end of array", "数组末尾多了逗号"))
_YAML_ZH = (("mapping values are not allowed here", "此处不允许出现映射值（冒号）"),
            ("could not find expected ':'", "找不到应有的冒号 :"),
            ("found character that cannot start any token", "含有不能开始任何记号的字符"),
            ("found undefined alias", "别名未定义"),
            ("expected <block end>, but found", "缩进或块结构不匹配"),
            ("expected ',' or ']'", "缺少逗号 , 或右方括号 ]"),
            ("expected ',' or '}'", "缺少逗号 , 或右花括号 }"),
            ("found unexpected end of stream", "文件意外结束"),
            ("found unknown escape character", "含有未知的转义字符"),
            ("found invalid Unicode character escape code", "含有无效的 Unicode 转义码"),
            ("did not find expected key", "找不到应有的键"),
            ("did not find expected node content", "找不到应有的内容"),
            ("found a tab character", "含有制表符（YAML 只能用空格缩进）"),
            ("expected a comment or a line break", "此处应为注释或换行"),
            ("found unexpected ':'", "出现了意外的冒号 :"),
            ("value does not fit its tag", "值与其标签不符（如标为 !!int 的值不是整数）"),
            ("found unhashable key", "映射的键不能是列表或映射"),
            ("too deeply nested", "嵌套过深"))
_DATE_ZH = (("day is out of range for month", "该月没有这一天"), ("month must be in 1..12", "月份应在 1 到 12 之间"),
            ("is out of range", "年份超出范围"))
_ERRNO_ZH = {_errno.ENOENT: "没有这个文件或目录", _errno.EACCES: "没有权限", _errno.EPERM: "不允许的操作",
             _errno.EISDIR: "是一个目录", _errno.ENOTDIR: "不是目录", _errno.EIO: "输入输出错误",
             _errno.ELOOP: "符号链接层数过多", _errno.ENAMETOOLONG: "文件名过长", _errno.EMFILE: "打开的文件过多",
             _errno.ENXIO: "没有这个设备或地址", _errno.EAGAIN: "资源暂时不可用",
             _errno.ENOSPC: "设备上没有空间", _errno.EDQUOT: "超出磁盘配额", _errno.EFBIG: "文件过大",
             _errno.EROFS: "只读文件系统", _errno.EPIPE: "管道已断开", _errno.EBADF: "文件描述符无效"}
_TYPE_ZH = {"list": "列表", "str": "字符串", "int": "整数", "float": "数字", "bool": "布尔值", "NoneType": "空值",
            "MarkedList": "列表", "MarkedDict": "映射"}  # the YAML reader's marked containers


def _complaint(text: str, table: tuple[tuple[str, str], ...]) -> Said:
    """Another program's complaint in both languages: the Chinese of its first listed phrase, else
    the complaint itself in quotation marks."""
    for english, chinese in table:
        if english in text:
            return Said(text, chinese)
    return Said(text, f"“{text}”")


def json_complaint(text: str) -> Said:
    return _complaint(text, _JSON_ZH)


def yaml_complaint(text: str) -> Said:
    return _complaint(text, _YAML_ZH)


def date_complaint(text: str) -> Said:
    return _complaint(text, _DATE_ZH)


def os_reason(exc: OSError) -> Said:
    """The reason the system gave for an OSError, in both languages."""
    english = exc.strerror or str(exc)
    code = exc.errno
    chinese = _ERRNO_ZH.get(code) if code is not None else None
    if chinese is None:
        chinese = f"系统错误 `{_errno.errorcode.get(code, code)}`" if code is not None else f"系统错误“{english}”"
    return Said(english, chinese)


def type_name(value: Any) -> Said:
    """The Python type of a value as a message names it (`list`, 列表)."""
    name = type(value).__name__
    return Said(name, _TYPE_ZH.get(name, f"“{name}”"))


# The value kinds of the condition language (rulebook/typecheck.py) as rulebook messages name them.
_CONDITION_KIND_ZH = {"int": "整数", "num": "数值", "str": "文字", "bool": "真假值", "date": "日期", "list": "列表",
                      "null": "空值"}


def condition_kind(kind: str) -> Said:
    """A value kind of the condition language (`int`, `bool`, …) as a word: 整数, 真假值, …"""
    return Said(kind, _CONDITION_KIND_ZH.get(kind, f"`{kind}`"))


def condition_kinds(kinds: list[str]) -> Said:
    """Several value kinds (`int, str` / 整数、文字)."""
    return Said(", ".join(kinds), "、".join(condition_kind(k).zh for k in kinds))


def names(items: list[str], empty: str = "none") -> Said:
    """A list of names a rulebook message offers (aliases, parameters): `a, b` (quoted as code in
    Chinese), or `empty` (无) when there are none."""
    return Said(", ".join(items) or empty, f"`{', '.join(items)}`" if items else "无")


def _expected_zh(expected: str) -> str:
    return re.sub(r"' or '", "' 或 '", re.sub(r"', '", "'、'", expected))


def pydantic_error(path: str, error: Mapping[str, Any], message: str, got: str | None = None,
                   hint: str | None = None) -> "InputError":
    """An InputError for one of pydantic's errors (`ValidationError.errors()`): `message` is the English
    text as reported (pydantic's own, with the value found, `got`, and the nearest valid spelling,
    `hint`); the kind is pydantic's `type`, or the Problem a validator raised (a `value_error`); the
    Chinese comes from MESSAGES by that kind."""
    kind: str = error["type"]
    params: dict[str, Any] = {}
    ctx = error.get("ctx") or {}
    if kind == "value_error" and isinstance(ctx.get("error"), ValueError):
        raised = ctx["error"].args[0] if ctx["error"].args else None
        if isinstance(raised, Problem):
            kind, params = raised.kind, dict(raised.params)
    elif kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", ""))
        params["expected"] = Said(expected, _expected_zh(expected))
    else:
        params.update({k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in ctx.items()
                       if k in ("ge", "gt", "lt", "le", "min_length", "max_length", "actual_length")})
    if got is not None:
        params["got"] = got
    if hint:
        params["hint"] = hint
    return InputError(path, message, kind=ErrorKind(kind) if kind in _KINDS else kind, params=params)


@dataclass(frozen=True)
class InputError:
    """One problem with an input (a value, not an exception): the field path, the English message,
    and its stable kind (codes.ErrorKind, or pydantic's `type` for one of its errors MESSAGES does not
    list) with the parameters that render it in Chinese. A Problem given as the message brings its
    kind and parameters. Two InputErrors are equal when path, message and place are."""

    path: str  # field path inside the case, e.g. meetings[2].attendees[0]; "" for the whole input
    message: str
    line: int | None = None  # where in the file (1-based), when known
    column: int | None = None
    kind: str | None = field(default=None, compare=False)
    params: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)
    template: str | None = field(default=None, compare=False, repr=False)  # the kind whose messages render it, if not `kind`
    at: "Said | None" = field(default=None, compare=False, repr=False)  # a place the message starts with (a workbook cell)

    def __post_init__(self) -> None:
        message = self.message
        if isinstance(message, Problem):
            if self.kind is None:
                object.__setattr__(self, "kind", message.kind)
                object.__setattr__(self, "params", message.params)
                object.__setattr__(self, "template", message.template)
            object.__setattr__(self, "message", str.__str__(message))  # a plain str from here on

    def to_dict(self) -> dict[str, str | int | None]:
        out: dict[str, str | int | None] = {"path": self.path, "message": self.message,
                                            "kind": str(self.kind) if self.kind is not None else None}
        if self.line is not None:
            out["line"] = self.line
            if self.column is not None:
                out["column"] = self.column
        return out

    def place(self, source: str) -> str:
        """`source:line:column` as compilers write it (each part when known). A JSON Lines source
        (`file.jsonl:LINE`) already names its line: only the column is added."""
        if not source or self.line is None:
            return source
        column = f":{self.column}" if self.column is not None else ""
        if source.endswith(f":{self.line}"):
            return source + column
        return f"{source}:{self.line}{column}"

    def where(self) -> str:
        """`line:column` (or `line`), or "" when the place is not known."""
        if self.line is None:
            return ""
        return f"{self.line}:{self.column}" if self.column is not None else str(self.line)

    def text(self, lang: str = "en") -> str:
        """The message in `lang` ("zh" or "en"): English as recorded; Chinese from MESSAGES by the
        kind. A message without a kind (built as text by a caller) stays English rather than being
        half translated."""
        if lang == "zh" and self.kind in _KINDS:
            text = render(self.template or self.kind, self.params, "zh")
            return f"{self.at.zh}：{text}" if self.at is not None else text
        return self.message

    def located(self, lang: str = "en") -> str:
        """`line:column: path: message` (each part when known), for a report that names the source apart."""
        where = self.where()
        return f"{where + ': ' if where else ''}{self.path + ': ' if self.path else ''}{self.text(lang)}"

    def describe(self, source: str = "", lang: str = "en") -> str:
        """`source:line:column: path: message`, each part when known."""
        where = self.place(source)
        return f"{where + ': ' if where else ''}{self.path + ': ' if self.path else ''}{self.text(lang)}"


def _problem_lines(errors: list[InputError], source: str) -> str:
    """One line per problem: `source:line:column: path: message`; without a source (case text handed
    over by a caller, `validate_case_json`) the place in the text alone, `line:column: path: message`."""
    return "\n".join(e.describe(source) if source else e.located() for e in errors)


class CaseValidationError(CadreRulesError, ValueError):
    """A case that does not validate; `errors` name each field, `source` the file, `case_id` the case."""

    def __init__(self, errors: list[InputError], source: str = "", case_id: str | None = None) -> None:
        self.errors, self.source, self.case_id = errors, source, case_id
        super().__init__(_problem_lines(errors, source))

    def __reduce__(self) -> tuple[Any, ...]:  # to and from worker processes: the default calls __init__(message)
        return (type(self), (self.errors, self.source, self.case_id), self.__dict__)

    @property
    def paths(self) -> list[str]:
        """The field paths at fault, in order ("" for the whole input)."""
        return [e.path for e in self.errors]


class CaseJSONError(CaseValidationError, _json.JSONDecodeError):
    """Case text that is not JSON at all (`validate_case_json`): a CaseValidationError like every other
    refusal of case text, with the one `invalid_json` error the audit gives a `.json` file that does not
    parse (line and column), and still the json.JSONDecodeError that function was documented to raise
    (`msg`, `doc`, `pos`, `lineno`, `colno`), so that code catching either keeps working."""

    def __init__(self, errors: list[InputError], decode: _json.JSONDecodeError, source: str = "",
                 case_id: str | None = None) -> None:
        self.errors, self.source, self.case_id = errors, source, case_id
        self.msg, self.doc, self.pos = decode.msg, decode.doc, decode.pos
        self.lineno, self.colno = decode.lineno, decode.colno
        # (not CaseValidationError.__init__: its super() is JSONDecodeError's here, which takes three arguments)
        ValueError.__init__(self, _problem_lines(errors, source))

    def __reduce__(self) -> tuple[Any, ...]:  # JSONDecodeError's would call __init__ with (msg, doc, pos)
        return (_case_json_error, (self.errors, self.msg, self.doc, self.pos, self.source, self.case_id), self.__dict__)


def _case_json_error(errors: list[InputError], msg: str, doc: str, pos: int, source: str,
                     case_id: str | None) -> CaseJSONError:
    return CaseJSONError(errors, _json.JSONDecodeError(msg, doc, pos), source, case_id)


class RegisterError(CadreRulesError, ValueError):
    """An organisation register that cannot be read or does not validate; `errors` name each field,
    `source` the file (docs/register.md); `data` the register as read, when it was (so that
    `audit --redact` can take its people's names out of the errors)."""

    def __init__(self, errors: list[InputError], source: str = "", data: Any = None) -> None:
        self.errors, self.source, self.data = errors, source, data
        super().__init__(self.describe())

    def __reduce__(self) -> tuple[Any, ...]:  # to and from worker processes: the default calls __init__(message)
        return (type(self), (self.errors, self.source, self.data), self.__dict__)

    def describe(self, lang: str = "en") -> str:
        """`source: path: message` per problem, the message in `lang`."""
        prefix = f"{self.source}: " if self.source else ""
        return "\n".join(f"{prefix}{e.path + ': ' if e.path else ''}{e.text(lang)}" for e in self.errors)


class CaseInputError(CadreRulesError, ValueError):
    """Case input the reader refuses before validation: over a limit (size, depth, string, number),
    a duplicate key, a YAML alias or custom tag, a file that is not a regular file. `line` is the
    line in the file when known, `column` the column on it, `field` the path to the value when known."""

    def __init__(self, message: str, line: int | None = None, field: str = "", column: int | None = None) -> None:
        self.message, self.line, self.field, self.column = message, line, field, column
        super().__init__(self.describe())

    def describe(self) -> str:
        """`line N column C: field: message`, each part only when known."""
        where = f"line {self.line}{f' column {self.column}' if self.column is not None else ''}: " \
            if self.line is not None else ""
        return f"{where}{self.field + ': ' if self.field else ''}{self.message}"


class CaseFormatDeprecated(CadreRulesError, FutureWarning):
    """A warning, not an error: a case uses a spelling that is still read but will not always be
    (a vote's `yes`/`no`, now `agree`/`disagree`). A FutureWarning, so Python shows it to users;
    `zh` is the same warning in Chinese (the command line shows it under --lang zh)."""

    def __init__(self, message: str, zh: str = "") -> None:
        super().__init__(message)
        self.zh = zh or message


class CaseBuildError(CadreRulesError, ValueError):
    """A builder step asked for something the case cannot be made to say (e.g. more present than due)."""


class RecordFileError(CadreRulesError, ValueError):
    """A supervision record file (the two reviews, a team-structure profile) that does not read or
    validate: `problems` are `file:line: field: message` lines (English), `path` the file; `errors`
    the same problems with their kinds (InputError: field path, line), for describe(lang)."""

    def __init__(self, problems: list[str] | list[InputError], path: str = "") -> None:
        self.path = path
        self.errors = [p for p in problems if isinstance(p, InputError)]
        self.problems = [self._line(p, "en") if isinstance(p, InputError) else p for p in problems]
        super().__init__("\n".join(self.problems))

    def _line(self, error: InputError, lang: str) -> str:
        return f"{self.path}{':' + str(error.line) if error.line else ''}: " \
               f"{error.path + ': ' if error.path else ''}{error.text(lang)}"

    def describe(self, lang: str = "en") -> str:
        """The problems, one a line, in `lang` where their kind is known."""
        if len(self.errors) != len(self.problems):
            return "\n".join(self.problems)
        return "\n".join(self._line(e, lang) for e in self.errors)


# ---- rules -----------------------------------------------------------------------------------

class RulebookError(CadreRulesError, ValueError):
    """A rulebook with any error; it is never used in part. `errors` carry file, line and rule id."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def describe(self, lang: str = "en") -> str:
        """The errors, one a line (`file:line: rule id: message`), each in `lang` where its kind is
        known (docs/errors.md); the others, and all of them under "en", as str() gives them."""
        return "\n".join(e.describe(lang) for e in self.errors)

    @property
    def files(self) -> list[str]:
        """The rule files at fault, each once, in order of the errors."""
        return list(dict.fromkeys(e.file for e in self.errors))

    @property
    def rule_ids(self) -> list[str]:
        """The rule ids at fault, each once (errors outside any rule have none)."""
        return list(dict.fromkeys(e.rule_id for e in self.errors if e.rule_id))


class ParseError(CadreRulesError, ValueError):
    """A condition expression that does not parse or type-check; `col` is the column at fault. Given
    a Problem (as rulebook/expr.py and typecheck.py give it), `kind` is its kind and `problem` says it
    in either language (`problem.text("zh")`); str() is the English message."""

    def __init__(self, message: str, col: int) -> None:
        super().__init__(message)
        self.col = col
        self.problem = message if isinstance(message, Problem) else None

    @property
    def kind(self) -> ErrorKind | None:
        return self.problem.kind if self.problem is not None else None


class WaiverError(CadreRulesError, ValueError):
    """Problems in a waiver file, each as `file:line: message`; `path` is the waiver file. Given as
    (place, message) pairs, a message that is a Problem can be described in Chinese too."""

    def __init__(self, problems: list[str] | list[tuple[str, str]], path: str | None = None) -> None:
        self.placed = [p if isinstance(p, tuple) else ("", p) for p in problems]
        self.problems = [f"{place}: {message}" if place else message for place, message in self.placed]
        self.path = path
        super().__init__("\n".join(self.problems))

    def describe(self, lang: str = "en") -> str:
        """The problems, one a line, in `lang` where their kind is known."""
        return "\n".join(f"{place + ': ' if place else ''}{in_language(message, lang)}" for place, message in self.placed)


def in_language(message: str, lang: str) -> str:
    """A message (a Problem, another text that can say itself in a language — a live event's note that a
    problem lies elsewhere in the case —, or plain English text) in `lang`: a line that may or may not
    know its kind (a waiver problem, an input left out of a count) shown in the language asked for."""
    text = getattr(message, "text", None)
    return text(lang) if callable(text) else message


# ---- engines and dates -----------------------------------------------------------------------

class EngineUnavailable(CadreRulesError, RuntimeError):
    """An engine that is unknown or cannot run here (e.g. durable_rules not installed)."""


class OutsideCalendar(CadreRulesError, ValueError):
    """A date the holiday data does not cover; `day` is the date, `coverage` the covered years as text
    (e.g. `2004–2026`)."""

    def __init__(self, day: date, coverage: str) -> None:
        super().__init__(f"{day.isoformat()} is outside the holiday data ({coverage})")
        self.day = day
        self.coverage = coverage


class HolidayDataError(CadreRulesError, ValueError):
    """Holiday files that cannot be used: `problems` are (place, InputError) pairs, the place the file
    and, where it can be known, its line (`file:line`); str() is their English lines, describe(lang)
    the lines in `lang`."""

    def __init__(self, problems: list[tuple[str, InputError]]) -> None:
        self.problems = list(problems)
        super().__init__(self.describe("en"))

    def describe(self, lang: str = "en") -> str:
        """`file:line: field: message`, one a line, in `lang`."""
        return "\n".join(f"{place}: {e.path + ': ' if e.path else ''}{e.text(lang)}" for place, e in self.problems)

    def __reduce__(self) -> tuple[Any, ...]:  # the default would call __init__ with the message
        return (type(self), (self.problems,))


# ---- live cases, events and the journal ------------------------------------------------------

class LiveInputError(CadreRulesError, ValueError):
    """An argument of the live API that is not what it must be, refused before anything is judged or
    recorded: an event that is not a mapping, misses or misnames a field, or has an id, kind, date or
    data of the wrong type; an opening date that is not a date; an unknown stage. `field` names the
    field (`on`, `kind` …; "" for the whole event), `event_id` the event when it has a readable id.
    Why a type of its own: these reached the caller as KeyError('on'), a TypeError from comparing a
    str with a date, or "day is out of range for month", naming neither field nor event. A ValueError,
    as these always were."""

    def __init__(self, message: str, *, field: str = "", event_id: str | None = None) -> None:
        self.message, self.field, self.event_id = message, field, event_id
        super().__init__(message)


class EventDataError(CadreRulesError, ValueError):
    """The event's data does not make a valid record; `errors` are (field path, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{p}: {m}" if p else m for p, m in errors))

    def __reduce__(self) -> tuple[Any, ...]:  # to and from worker processes: the default calls __init__(message)
        return (type(self), (self.errors,), self.__dict__)


class EventConflict(CadreRulesError, ValueError):
    """An event id already used for a different event in this case."""

    def __init__(self, message: str, *, event_id: str | None = None, case_id: str | None = None) -> None:
        super().__init__(message)
        self.event_id, self.case_id = event_id, case_id


class ProcedureViolation(CadreRulesError):
    """Raised by `submit(..., strict=True)` for a refused event (already recorded); carries the result."""

    def __init__(self, result: EventResult) -> None:
        self.result = result
        self.refused_by = result.refused_by
        super().__init__(f"event {result.event.id} ({result.event.kind}, {result.event.on}) {result.reason}")

    @property
    def event_id(self) -> str:
        return self.result.event.id


class TransitionRefused(CadreRulesError):
    """Raised by CaseProcess.advance(strict=True); carries the recorded refusal."""

    def __init__(self, transition: Transition) -> None:
        self.transition = transition
        super().__init__(transition.reason)

    @property
    def refused_by(self) -> tuple[str, ...]:
        """The ids of the guard rules that refused the transition (or "ILLEGAL-TRANSITION")."""
        return self.transition.refused_by


class JournalError(CadreRulesError):
    """A journal that cannot be used as asked; `path`, `case_id` and `seq` (entry) when known;
    `problem` its kind, when it has one (a journal that does not open), for describe(lang)."""

    problem: "Problem | None" = None

    def __init__(self, message: str, *, path: str | None = None, case_id: str | None = None,
                 seq: int | None = None, zh: str | None = None) -> None:
        super().__init__(message)
        self.path, self.case_id, self.seq, self.zh = path, case_id, seq, zh

    def describe(self, lang: str = "en") -> str:
        """The message in `lang` where its kind or its Chinese (`zh`) is known, else as str() gives it."""
        if lang == "zh" and self.problem is not None:
            return f"{self.path}: {self.problem.text('zh')}" if self.path else self.problem.text("zh")
        if lang == "zh" and self.zh:
            return self.zh
        return str(self)


class JournalUnreadable(JournalError):
    """Not a journal: a missing file, not an SQLite database, or not in the journal format."""

    @classmethod
    def of(cls, path: str, problem: "Problem") -> "JournalUnreadable":
        """`path: problem` (English as str(), each kind said in Chinese by describe("zh"))."""
        exc = cls(f"{path}: {problem}", path=path)
        exc.problem = problem
        return exc


class JournalTampered(JournalError):
    """The chain is broken; `report` says where."""

    def __init__(self, report: VerifyReport) -> None:
        self.report = report
        super().__init__(str(report), seq=report.problem.seq if report.problem is not None else None)

    def describe(self, lang: str = "en") -> str:
        return self.report.describe(lang)


class CanonicalError(CadreRulesError, ValueError):
    """A value (or a stored journal text) that has no RFC 8785 canonical form, or is not in it."""


class SigningError(_OneLine, CadreRulesError, ValueError):
    """A signing key or a signed checkpoint that cannot be used (unreadable, malformed)."""


# ---- reports --------------------------------------------------------------------------------

class OutputError(_OneLine, CadreRulesError, OSError):
    """A report or export that could not be written (disk full, /dev/full, no permission); one line."""

    @classmethod
    def cannot_write(cls, target: Any, exc: OSError) -> "OutputError":
        """`target` could not be written for the reason `exc` gives, said in both languages."""
        reason = os_reason(exc)
        return cls(f"cannot write {target}: {reason.en}", zh=f"无法写出 {target}：{reason.zh}")


class TemplateError(CadreRulesError, ValueError):
    """A report template that cannot carry a report (the Word template unreadable or without the styles
    a report uses; an HTML page template with an unknown placeholder); `path` is the template. Given a
    Problem, `describe("zh")` says it in Chinese."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.problem = message if isinstance(message, Problem) else None

    def describe(self, lang: str = "en") -> str:
        return self.problem.text(lang) if self.problem is not None else str(self)


# ---- importers ---------------------------------------------------------------------------------

class FormError(_OneLine, CadreRulesError, ValueError):
    """An appointment form (.lrmx, .lrm) that cannot be read: unsafe XML, not well-formed, a wrong
    encoding or field count; the message names the file and why (a parser's own complaint quoted as
    it said it)."""


class RosterError(_OneLine, CadreRulesError, ValueError):
    """A `spotcheck --roster` file that cannot be used: unreadable, not JSON or YAML, not a list of
    people, an entry without a `key`; the message names the file (and the line or entry)."""


class MappingError(CadreRulesError, ValueError):
    """A workbook mapping file that does not fit the layout: `source: key: problem`, the key (a dotted
    path into the file, e.g. `codes.outcome.passed`) when there is one; `describe(lang)` in either language."""

    def __init__(self, source: str, key: str, problem: "Problem") -> None:
        self.source, self.key, self.problem = source, key, problem
        super().__init__(self.describe("en"))

    def describe(self, lang: str = "en") -> str:
        if lang == "zh":  # the key is the file's own word: quoted
            return f"{self.source}：{'`' + self.key + '`：' if self.key else ''}{self.problem.text(lang)}"
        return f"{self.source}: {self.key + ': ' if self.key else ''}{self.problem.text(lang)}"


# ---- tools -----------------------------------------------------------------------------------

class ConfigError(CadreRulesError, ValueError):
    """A command-line configuration file that cannot be used (unreadable, invalid TOML, an unknown key);
    `path` is the file. The command line reports it as a usage error."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class CoverageInputError(CadreRulesError, ValueError):
    """The features directory is missing or gherkin-official is not installed."""


class MutationDocError(CadreRulesError, ValueError):
    """The mutation page cannot be rewritten: no marker line, or a run limited by --rule or --sample."""


__all__ = [
    "CadreRulesError", "CanonicalError", "CaseBuildError", "CaseFormatDeprecated", "CaseInputError", "CaseJSONError", "CaseValidationError", "ConfigError", "CoverageInputError",
    "EngineUnavailable", "EventConflict", "EventDataError", "FormError", "HolidayDataError", "InputError", "JournalError",
    "JournalTampered", "JournalUnreadable", "LiveInputError", "MappingError", "MutationDocError", "OutputError", "OutsideCalendar", "ParseError",
    "ProcedureViolation", "RecordFileError", "RegisterError", "RosterError", "RulebookError", "SigningError", "TemplateError", "TransitionRefused", "WaiverError",
]
