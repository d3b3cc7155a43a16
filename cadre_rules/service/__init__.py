"""The decision service room: `cadre-rules serve`, an HTTP shell over the library (docs/service.md).

It holds no judging code: a case goes through the same pipeline as `cadre-rules audit`, a live
event through `LiveCase`, every decision into a hash-chained `Journal`. Needs the `service` extra
(FastAPI and uvicorn): `pip install 'cadre-rules[service]'`.
"""
from cadre_rules.service.config import ServiceConfig


def create_app(config: ServiceConfig | None = None, rulebook=None):  # noqa: ANN001, ANN201 - lazy import
    """The ASGI application (imports FastAPI only when called)."""
    from cadre_rules.service.app import create_app as _create

    return _create(config, rulebook)


__all__ = ["ServiceConfig", "create_app"]
