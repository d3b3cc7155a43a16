"""The importers room: what organisation departments actually hold, turned into ordinary case records.

- `forms`, `resume`, `months`, `candidate`, `skeleton`: 干部任免审批表 files (`.lrmx`, `.lrm`) into a
  candidate record and a case skeleton, and a candidate back into an `.lrmx` (docs/import-lrmx.md);
- `workbook`: procedure workbooks (全程纪实) into complete cases (docs/import-workbook.md);
- `register`: the organisation register workbook (组织机构与职数台账) into a register, and back (docs/register.md).

Importers produce plain data validated by the case model; they never judge anything.
"""
from cadre_rules.importers.forms import AppointmentForm, FormError, parse_lrm, parse_lrmx, read_form, write_lrmx
from cadre_rules.importers.skeleton import FormImport, export_lrmx, import_form, missing_fields, skeleton_yaml

__all__ = ["AppointmentForm", "FormError", "FormImport", "export_lrmx", "import_form", "missing_fields",
           "parse_lrm", "parse_lrmx", "read_form", "skeleton_yaml", "write_lrmx"]
