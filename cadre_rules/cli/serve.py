"""`cadre-rules serve`: run the decision service (cadre_rules.service) under uvicorn."""
from __future__ import annotations

import logging
import sys

import click

from cadre_rules.cli.tools import lang_option, rulebook_or_exit


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; put the gateway in front for anything else).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--journal", default="cadre-live.journal", show_default=True,
              help="Journal file of the live cases (':memory:' keeps nothing across restarts).")
@click.option("--decision-log", "decision_log", default="cadre-decisions.journal", show_default=True,
              help="Journal file of every decision (hash-chained; `cadre-rules journal verify` checks it).")
@click.option("--no-decision-log", is_flag=True, help="Do not log decisions.")
@click.option("--decision-log-sync", type=click.Choice(["FULL", "NORMAL"]), default="FULL", show_default=True,
              help="FULL: each decision is on disk before it is answered; NORMAL: faster, may lose the last ones on power loss.")
@click.option("--log-personal-data", is_flag=True,
              help="Keep names and identity numbers in the decision log (masked by default, as --redact masks them).")
@click.option("--caller-header", default="X-Caller", show_default=True,
              help="Request header the gateway sets to the authenticated caller; recorded with each decision.")
@click.option("--token", envvar="CADRE_RULES_TOKEN", default=None,
              help="Quick start only: require 'Authorization: Bearer TOKEN' (env CADRE_RULES_TOKEN).")
@click.option("--max-body", type=click.IntRange(min=1), default=2 * 1024 * 1024, show_default=True,
              help="Largest request body in bytes (413 above).")
@click.option("--max-batch", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Most cases in one batch request (413 above).")
@click.option("--max-concurrent", type=click.IntRange(min=1), default=8, show_default=True,
              help="Judgements running at once (429 when all are busy).")
@click.option("--timeout", type=click.FloatRange(min=0.001), default=30.0, show_default=True,
              help="Seconds a judgement may take before the answer is 503.")
@click.option("--holidays", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Holiday file adding years to the bundled holiday data (docs/holidays.md); repeatable.")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), default=None,
              help="Rulebook directory (default: the bundled rules).")
@click.option("--profile", default="national", show_default=True, help="Jurisdiction profile.")
@lang_option
def serve(host: str, port: int, journal: str, decision_log: str, no_decision_log: bool, decision_log_sync: str,
          log_personal_data: bool, caller_header: str, token: str | None, max_body: int, max_batch: int,
          max_concurrent: int, timeout: float, holidays: tuple[str, ...], rules_dir: str | None, profile: str) -> None:
    """Run the decision service: audits, live cases and the rulebook over HTTP (docs/service.md).

    Exit status: 2 if the service extra is missing, or the rulebook, a holiday file or a journal cannot be used.
    """
    try:
        import uvicorn

        from cadre_rules.service.app import create_app
    except ImportError as exc:
        click.echo(f"error: the service needs the `service` extra ({exc.name} is missing): "
                   "pip install 'cadre-rules[service]'", err=True)
        sys.exit(2)
    from cadre_rules.cli.tools import use_holidays
    from cadre_rules.live.journal import JournalError
    from cadre_rules.service.config import ServiceConfig

    use_holidays(holidays)
    rulebook = rulebook_or_exit(rules_dir, profile)
    config = ServiceConfig(rules_dir, profile, journal, None if no_decision_log else decision_log, decision_log_sync,
                           log_personal_data, caller_header, token, max_body, max_batch, max_concurrent, timeout)
    try:
        app = create_app(config, rulebook)
    except JournalError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    from cadre_rules.service.app import CaseIdsOutOfAccessLog

    # uvicorn's access log names paths and statuses only (never bodies); a case id in a path (which
    # may hold a name) is logged as {case_id}. uvicorn sets its logging up in Config, so after it.
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info", server_header=False))
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, CaseIdsOutOfAccessLog) for f in access.filters):
        access.addFilter(CaseIdsOutOfAccessLog())
    server.run()
    if not server.started:  # as uvicorn.run: the socket could not be bound, or the app did not start
        sys.exit(3)
