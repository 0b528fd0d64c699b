"""The sengen/1 interchange model: the one shape every reader produces and every exporter reads."""

from sengen.interchange.models import (
    FORMAT,
    Baseline,
    Declaration,
    Document,
    Evaluation,
    Head,
    Indicator,
    Observation,
    Owner,
    Plan,
    Policy,
    Project,
    Section,
    SelfEvaluation,
    Target,
)

__all__ = [
    "FORMAT",
    "Baseline",
    "Declaration",
    "Document",
    "Evaluation",
    "Head",
    "Indicator",
    "Observation",
    "Owner",
    "Plan",
    "Policy",
    "Project",
    "Section",
    "SelfEvaluation",
    "Target",
]
