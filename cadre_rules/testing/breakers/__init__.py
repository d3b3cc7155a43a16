"""One "break this rule" function per rule of the bundled rulebook (a breaker), registered by rule id.

A breaker takes a compliant draft (cadre_rules.testing.draft) and changes it so that exactly its rule is
violated and every other rule stays satisfied; it returns the name of the way it broke the rule (the
variant recorded in `meta.injection_variants`). Adding a rule means adding one breaker, in the module of its stage; a test fails
while a rule of the rulebook has none, or a breaker names a rule the rulebook does not have.

What a breaker declares is what only the breaker knows — how the case must be shaped so that its way of
breaking the rule is possible. Where a rule is in force, whether the profile switches it on and which
moves and post levels its condition judges are read from the rulebook (cadre_rules.testing.applicability).

* `late`: runs after the meetings are settled and the records that follow the final notice dates (talks,
  probation, submissions) are drawn, because it breaks one of those.
* `moves`, `settings`, `post`: the moves, settings (county, city, city_bureau, province_dept) and post
  (chief or deputy) it can break the rule in, beyond what the rule's own condition limits.
* `needs`: features the case's plan must have (see NEEDS).
* `rebuilds`: compliant variations (see REBUILDS) that clean cases carry and that this breaker either
  builds itself or that would hide its violation; they are switched off.
* `conflicts`, `companions`: rules it cannot be injected together with; or the only rules it can be.
* `latest_motion`: the latest motion date its case can have (it stretches the case in time).

Breakers run in the order they are registered (the stage modules imported below, each in file order:
general, qualifications, motion, recommendation, inspection, meeting, publicity and notice, reports and
avoidance); each keeps the conditions of the rules after it intact.
"""
from __future__ import annotations

from cadre_rules.testing.breakers.registry import (BREAKERS, NEEDS, REBUILDS, Breaker, Injection, breaker, compatible,
                                                   injectable, injection, window_of)

# Registration order is the order the breakers run in (see above): one module per stage of the procedure.
from cadre_rules.testing.breakers import (general, qualification, motion, recommendation,  # noqa: E402,F401,I001
                                          inspection, decision, appointment, reporting, dossier)

__all__ = ["BREAKERS", "NEEDS", "REBUILDS", "Breaker", "Injection", "breaker", "compatible", "injectable", "injection",
           "window_of"]
