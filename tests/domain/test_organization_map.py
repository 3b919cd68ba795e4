"""Mapping a model's organizations onto the workshop's: proposals by name, rename, merge, undo."""

from __future__ import annotations

from workshop.domain.model.document import Document
from workshop.domain.model.ids import new_id
from workshop.domain.model.operations import add
from workshop.domain.model.organization_map import map_organizations_op, name_key, propose_map
from workshop.domain.model.process import Lane, Node, Organization, ProcessModel
from workshop.domain.model.session import new_session


def _model_of_three_pools() -> Document:
    document = Document(new_session("t"))
    document.apply(add(ProcessModel(id="m", name="Current", state="current")))
    for org_id, name in (("o-eo", "EO - Employment Office"), ("o-it", "IT provider"), ("o-city", "City")):
        document.apply(add(Organization(id=org_id, name=name)))
        document.apply(add(Lane(id=f"lane-{org_id}", model_id="m", organization_id=org_id, index=len(org_id))))
    document.apply(add(Node(id="n1", model_id="m", label="Register", owner_org_id="o-eo")))
    return document


def test_names_are_compared_without_case_spacing_or_punctuation() -> None:
    assert name_key("  Employment-Office ") == name_key("employment office")


def test_proposals_match_typed_names_and_keep_the_rest() -> None:
    proposal = propose_map(
        {"o-eo": "EO - Employment Office", "o-it": "It  Provider", "o-city": "City"},
        ["Employment office", "IT provider", "Customer group"],
    )
    assert proposal == {"o-eo": "Employment office", "o-it": "IT provider", "o-city": "City"}


def test_a_rename_keeps_id_and_colour_and_a_merge_moves_every_reference() -> None:
    document = _model_of_three_pools()
    colour = document.session.organizations["o-eo"].colour
    op = map_organizations_op(document.session, {"o-eo": "Employment office", "o-city": "Employment office"})
    assert op is not None
    record = document.apply(op)
    session = document.session
    assert set(session.organizations) == {"o-eo", "o-it"}
    assert session.organizations["o-eo"].name == "Employment office"
    assert session.organizations["o-eo"].colour == colour
    assert session.lanes["lane-o-city"].organization_id == "o-eo"
    assert session.nodes["n1"].owner_org_id == "o-eo"
    document.apply(record.op.inverse())
    assert set(document.session.organizations) == {"o-eo", "o-it", "o-city"}


def test_mapping_onto_an_organization_already_there_merges_into_it() -> None:
    document = _model_of_three_pools()
    typed = Organization(id=new_id("org"), name="City of Tampere")
    document.apply(add(typed))
    op = map_organizations_op(document.session, {"o-city": "city of  tampere", "o-it": "IT provider"})
    assert op is not None
    document.apply(op)
    assert "o-city" not in document.session.organizations
    assert document.session.lanes["lane-o-city"].organization_id == typed.id
    assert map_organizations_op(document.session, {"o-it": "IT provider"}) is None
