"""Reading BPMN XML safely, remembering where each element is and what its prefixes mean.

BPMN refers from one element to another by XML qualified names
(``processRef="bpmn2:Process_1"``, ``bpmnElement="Task_1"``). ElementTree
forgets the namespace declarations and the line of every element, so the
reader keeps both: references resolve through the element's own namespace
map whether prefixed or not, and every complaint names file, line, element
and attribute. Untrusted XML goes through defusedxml: entities and DTDs are
refused. A file that says UTF-8 but holds Latin-1 bytes (a common export
bug) is read as Windows-1252, with a note.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLParser

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from workshop.domain.model.process import COORDINATE_LIMIT

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

_DECLARATION = re.compile(rb"^(\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


class BpmnError(ValueError):
    """A file that is not BPMN we can read; the message names file, line, element and attribute."""


@cache
def local_name(tag: str) -> tuple[str, str]:
    """``{namespace}name`` -> ``(namespace, name)`` (a file has few distinct tags: cached)."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


class _Names(dict[str, str]):
    """expat's ``uri}name`` → ElementTree's ``{uri}name``, each distinct name worked out once."""

    def __missing__(self, name: str) -> str:
        expanded = self[name] = "{" + name if "}" in name else name
        return expanded


class _Builder(TreeBuilder):
    """A tree builder that notes each element's line and in-scope namespace declarations.

    :meth:`install` hands expat one handler per start and end tag that does
    everything at once (names expanded, line and namespaces noted, element
    made): the pure-Python parser defusedxml needs otherwise runs three
    Python calls per element (0.5 s of a 9,000-task file). The defused
    handlers for DTDs and entities stay as defusedxml set them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Element, int] = {}
        self.namespaces: dict[Element, dict[str, str]] = {}
        self._scopes: list[dict[str, str]] = [{}]
        self._pending: dict[str, str] = {}

    def start_ns(self, prefix: str, uri: str) -> None:
        self._pending[prefix] = uri

    def install(self, parser: DefusedXMLParser) -> None:
        """Take over expat's start and end handlers of ``parser``."""
        expat = parser.parser
        fixed = _Names().__getitem__  # a C-level lookup per name; a file has few distinct names
        make = super().start
        close = super().end
        scopes, lines, namespaces = self._scopes, self.lines, self.namespaces

        def start(tag: str, attr_list: list[str]) -> Element:
            attrib = dict(zip(map(fixed, attr_list[::2]), attr_list[1::2], strict=True)) if attr_list else {}
            element = make(fixed(tag), attrib)
            scope = scopes[-1]
            if self._pending:  # share the parent's map unless this element declares prefixes (20,000 tasks, few maps)
                scope = {**scope, **self._pending}
                self._pending = {}
            scopes.append(scope)
            namespaces[element] = scope
            lines[element] = expat.CurrentLineNumber
            return element

        def end(tag: str) -> Element:
            scopes.pop()
            return close(fixed(tag))

        expat.StartElementHandler = start
        expat.EndElementHandler = end

    @staticmethod
    def uninstall(expat: Any) -> None:
        """Drop the handlers: each holds the expat parser that holds it, a cycle that would keep the whole
        tree alive until the cyclic collector ran (the app pauses it while opening a file)."""
        expat.StartElementHandler = expat.EndElementHandler = None


@dataclass
class XmlSource:
    """A parsed file: the tree, where its elements are, and notes on how it was read."""

    root: Element
    where: str
    notes: list[str] = field(default_factory=list)
    lines: dict[Element, int] = field(default_factory=dict)
    namespaces: dict[Element, dict[str, str]] = field(default_factory=dict)
    untracked: bytes = field(default=b"", repr=False)
    """The document, when it was read without noting lines and namespaces (see :func:`read_xml`):
    they are worked out from it the first time one is asked for."""

    def _track(self) -> None:
        """Note every element's line and namespaces by reading the document again with the tracking reader.

        Both readers keep the same elements in the same order, so the trees
        pair up element by element. A file whose import reports nothing never
        pays for this.
        """
        body, self.untracked = self.untracked, b""
        tracked_root, lines, namespaces = _parse_tracked(body, self.where)
        for mine, theirs in zip(self.root.iter(), tracked_root.iter(), strict=True):
            self.lines[mine] = lines.get(theirs, 0)
            self.namespaces[mine] = namespaces.get(theirs, {})

    def line(self, element: Element) -> int:
        if self.untracked:
            self._track()
        return self.lines.get(element, 0)

    def at(self, element: Element) -> str:
        """``file:line`` of an element, for messages."""
        line = self.line(element)
        return f"{self.where}:{line}" if line else self.where

    def ref(self, element: Element, value: str | None) -> str:
        """The id a QName-valued attribute or text of ``element`` names.

        ``bpmn2:Task_1`` and ``Task_1`` both name the element with id
        ``Task_1`` when the prefix is declared in scope; BPMN ids are unique
        in a file, so the namespace only tells which file (we read one).
        An undeclared prefix stays as written and so resolves to nothing,
        which the caller reports.
        """
        text = (value or "").strip()
        prefix, colon, rest = text.partition(":")
        if not colon:
            return text
        if self.untracked:
            self._track()
        return rest if prefix in self.namespaces.get(element, {}) else text

    def number(self, element: Element, attribute: str, owner: str, default: float = 0.0) -> float:
        """A finite coordinate attribute; refuses text, NaN, infinity and absurd values by element and attribute."""
        raw = element.get(attribute)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise BpmnError(f"{self._what(element, attribute, owner, raw)} is not a number") from None
        if not math.isfinite(value):
            raise BpmnError(f"{self._what(element, attribute, owner, raw)} is not a finite number")
        if abs(value) > COORDINATE_LIMIT:
            where = self._what(element, attribute, owner, raw)
            raise BpmnError(f"{where} is out of range (at most {COORDINATE_LIMIT:g} in size)")
        return value

    def _what(self, element: Element, attribute: str, owner: str, raw: str) -> str:
        """Where a bad number is, for the message (made only when one is bad: 36,000 are read per 9,000 tasks)."""
        _, tag = local_name(element.tag)
        return f"{self.at(element)}: <{tag}> of {owner!r}: attribute {attribute}={raw!r}"


def _decoded(data: bytes, where: str, notes: list[str]) -> bytes:
    """UTF-8 bytes of the document: a file declared (or defaulting to) UTF-8 with Latin-1 bytes is read as cp1252."""
    match = _DECLARATION.match(data)
    declared = match.group(2).decode("ascii").lower() if match else "utf-8"
    if declared not in ("utf-8", "utf8") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data  # another declared encoding: expat reads it (or says why not)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        notes.append(
            f"{where}:{line}: the file says UTF-8 but byte 0x{data[error.start]:02X} is not UTF-8: "
            "read as Windows-1252 (Latin-1); check accented names"
        )
        body = text.encode("utf-8")
        if match:
            body = _DECLARATION.sub(lambda m: m.group(0).replace(m.group(2), b"UTF-8"), body, count=1)
        return body
    return data


def read_xml(data: bytes, where: str) -> XmlSource:
    """Parse ``data`` safely; errors name the file, line and column (malformed) or what was refused.

    A UTF-8 document without a DTD (every BPMN file a modeler writes) cannot
    declare an entity or refer to an external one, so it is read by the C
    parser of the standard library (0.1 s for a 9,000-task file, against
    0.4 s through defusedxml's pure-Python one with lines and namespaces
    noted); lines and namespaces are worked out later, only if the import
    needs one. Any other document goes through defusedxml, which refuses
    DTDs and entities.
    """
    notes: list[str] = []
    body = _decoded(data, where, notes)
    if _without_dtd(data, body):
        source = XmlSource(_parse_fast(body, where), where, notes, untracked=body)
    else:
        root, lines, namespaces = _parse_tracked(body, where)
        source = XmlSource(root, where, notes, lines, namespaces)
    namespace, name = local_name(source.root.tag)
    if name != "definitions":
        raise BpmnError(f"{where}: not BPMN 2.0 (the root element is {name!r}, not 'definitions')")
    if namespace != BPMN:
        found = f"namespace {namespace!r}" if namespace else "no namespace"
        raise BpmnError(f"{where}: not BPMN 2.0: <definitions> has {found}; expected {BPMN!r}")
    return source


def _without_dtd(data: bytes, body: bytes) -> bool:
    """True when ``body`` is UTF-8 (declared so, or undeclared, no UTF-16 mark, no NUL) and names no DTD."""
    match = _DECLARATION.match(data)
    declared = match.group(2).decode("ascii").lower() if match else "utf-8"
    if declared not in ("utf-8", "utf8") or data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in body:
        return False  # another encoding: a byte search could miss a DTD
    return b"<!DOCTYPE" not in body  # a DTD is the only place entities can be declared


def _malformed(error: ParseError, where: str) -> BpmnError:
    line, column = error.position
    reason = str(error).split(":")[0]
    return BpmnError(f"{where}:{line}:{column}: not well-formed XML ({reason}, line {line}, column {column})")


def _parse_fast(body: bytes, where: str) -> Element:
    parser = XMLParser(target=TreeBuilder())
    try:
        parser.feed(body)
        root: Element = parser.close()
    except ParseError as error:
        raise _malformed(error, where) from None
    return root


def _parse_tracked(body: bytes, where: str) -> tuple[Element, dict[Element, int], dict[Element, dict[str, str]]]:
    """defusedxml's parser, noting each element's line and namespaces as it goes."""
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.install(parser)
    expat = parser.parser
    try:
        parser.feed(body)
        root = parser.close()
    except DefusedXmlException as error:
        raise BpmnError(
            f"{where}: refused unsafe XML ({type(error).__name__}): entities and DTDs are not allowed"
        ) from None
    except ParseError as error:
        raise _malformed(error, where) from None
    finally:
        _Builder.uninstall(expat)
    return root, builder.lines, builder.namespaces
