"""Renderers of audit results, one module per format."""
from .json_report import render_json
from .table import render_table

RENDERERS = {"json": render_json, "table": render_table}

__all__ = ["RENDERERS", "render_json", "render_table"]
