"""Test tooling, kept off the judging path: the compliant baseline case, the case builder, synthetic cases
with injected violations, and the differential checks between the two evaluators."""
