"""Why an upload is refused: a stable code and a message a person can act on."""

from __future__ import annotations

from ..errors import ApiError


class SceneRefused(ApiError):
    """The upload breaks a rule; ``code`` names which (``over_budget``,
    ``outside_reference``, ``zip_bomb``, ``unsupported_format``...)."""

    status = 422
    code = "scene_refused"

    def __init__(self, code: str, message: str):
        super().__init__(message, code=code)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def over_budget(what: str, measured: float, allowed: float, unit: str = "") -> SceneRefused:
    """A budget refusal naming the budget, both numbers and the excess."""
    over = measured - allowed
    share = f" ({measured / allowed:.1f}x)" if allowed else ""
    return SceneRefused(
        "over_budget",
        f"{what}: {measured:,.0f}{unit} is over the budget of {allowed:,.0f}{unit} "
        f"by {over:,.0f}{unit}{share}",
    )
