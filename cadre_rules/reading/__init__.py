"""The reading room: case files and streams in, validated `Case` objects (or field-level errors) out.

It never judges anything; YAML is read through `yamlmarks`, which keeps line numbers for errors.
"""
