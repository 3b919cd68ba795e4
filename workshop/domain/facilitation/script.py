"""Facilitation scripts: interventions made of steps, written in YAML by facilitators.

A step says what it is for, what to ask, how long it takes, which process
state to show and what participants may capture. Scripts are data (see
facilitation_scripts/); an invalid one is refused naming file, line and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from workshop.domain.model.process import ProcessState
from workshop.domain.model.yaml_source import load_yaml_model

Capture = Literal[
    "comment", "problem", "need", "idea", "question", "quote", "requirement", "boundary", "vote", "agreement"
]


BASIC_CAPTURES: tuple[Capture, ...] = ("comment", "problem", "idea", "question")

Tool = Literal["vote", "agreement", "boundaries", "glossary", "walkthrough", "mechanisms", "contract", "survey"]
"""The facilitator's tool a step works with, brought forward when the step starts."""


class Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    title: str = Field(min_length=1)
    aim: str = ""
    prompts: list[str] = Field(default_factory=list)
    timebox_minutes: float | None = Field(default=None, gt=0, le=600)
    shows: ProcessState | None = None
    captures: list[Capture] = Field(default_factory=lambda: list(BASIC_CAPTURES))
    dots: int = Field(default=3, ge=1, le=20)
    anonymous: bool = False
    """Contributions in this step are attributed to organizations, not people."""
    predictability: bool = False
    """The step's agreement check asks predictability too (phones show the question)."""
    tool: Tool | None = None
    """The tool the step works with; when not given, the one its captures call for (see :meth:`main_tool`)."""

    def main_tool(self) -> Tool | None:
        """The tool to bring forward for this step: as written, else a vote, an agreement check or boundaries."""
        if self.tool is not None:
            return self.tool
        if "vote" in self.captures:
            return "vote"
        if "agreement" in self.captures:
            return "agreement"
        if self.captures and self.captures[0] == "boundary":
            return "boundaries"
        return None


class Intervention(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    title: str = Field(min_length=1)
    purpose: str = ""
    steps: list[Step] = Field(min_length=1)


class FacilitationScript(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str = ""
    interventions: list[Intervention] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> FacilitationScript:
        seen: set[str] = set()
        for intervention in self.interventions:
            for item in (intervention.id, *(s.id for s in intervention.steps)):
                if item in seen:
                    raise ValueError(f"id {item!r} is used twice; every intervention and step needs its own id")
                seen.add(item)
        return self

    def steps(self) -> list[tuple[Intervention, Step]]:
        """Every step in the order the script runs them."""
        return [(intervention, step) for intervention in self.interventions for step in intervention.steps]

    def find(self, intervention_id: str, step_id: str) -> tuple[int, Intervention, Step] | None:
        for position, (intervention, step) in enumerate(self.steps()):
            if (intervention.id, step.id) == (intervention_id, step_id):
                return position, intervention, step
        return None


def load_script(path: Path) -> FacilitationScript:
    """Read a script file; errors name the file, the line and the field."""
    return load_yaml_model(path, FacilitationScript)
