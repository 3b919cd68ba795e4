"""The study's people and organizations as ``study.json`` stores them (the roster's data; see
:mod:`workshop.domain.research.roster` for what is done with them)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from workshop.domain.model.process import OrganizationKind

TYPE_WORDS: dict[str, OrganizationKind] = {
    "customer": OrganizationKind.CUSTOMER_NETWORK,
    "customer network": OrganizationKind.CUSTOMER_NETWORK,
    "it provider": OrganizationKind.IT_PROVIDER,
    "partner": OrganizationKind.PARTNER_ORGANIZATION,
    "partner organization": OrganizationKind.PARTNER_ORGANIZATION,
    "end-users": OrganizationKind.END_USERS,
    "end users": OrganizationKind.END_USERS,
    "end-user": OrganizationKind.END_USERS,
    "other": OrganizationKind.OTHER,
}
"""What people type for an organization type (case, hyphens and underscores aside)."""

TABLE_WORDS: dict[OrganizationKind, str] = {
    OrganizationKind.CUSTOMER_NETWORK: "customer",
    OrganizationKind.IT_PROVIDER: "IT provider",
    OrganizationKind.PARTNER_ORGANIZATION: "partner",
    OrganizationKind.END_USERS: "end-user",
    OrganizationKind.OTHER: "other",
}
"""How Table 1 names each type before "representatives" ("2 customer, 1 IT provider and 1 partner representative")."""


class RosterError(ValueError):
    """A roster change that cannot be made; the message says why in one sentence."""


class StudyOrganization(BaseModel):
    """An organization of the study with its type."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    org_type: OrganizationKind = OrganizationKind.OTHER


class Person(BaseModel):
    """One person across the study."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str = Field(min_length=1)
    organization: str = ""
    role: str = ""
    added: datetime
    added_by: str


def same_name(a: str, b: str) -> bool:
    """Two names of one person or organization: case and spacing aside."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def parse_org_type(text: str) -> OrganizationKind:
    """An organization type as people type it; the error lists the types there are."""
    key = " ".join(text.replace("_", " ").casefold().split())
    if key in TYPE_WORDS:
        return TYPE_WORDS[key]
    try:
        return OrganizationKind(key.replace(" ", "_").replace("-", "_"))
    except ValueError:
        raise RosterError(f"unknown organization type {text!r} (types: customer, IT provider, partner, "
                          "end-users, other)") from None  # fmt: skip


def find_organization_kind(organizations: list[StudyOrganization], name: str) -> OrganizationKind | None:
    """The type the study gives the organization of that name, if the study knows it."""
    return next((o.org_type for o in organizations if same_name(o.name, name)), None)
