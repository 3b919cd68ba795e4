"""The report's back matter, after the chapters: walkthroughs, process models, glossary, research record.

Split out of :mod:`report_story`: these sections are about the session as a
whole rather than one intervention. Each model gets landscape pages (its
diagram from :mod:`report_diagram`, its handoffs and ownership claims).
"""

from __future__ import annotations

from collections import defaultdict

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from workshop.domain.model.analysis import analyse
from workshop.domain.model.naming import count, node_name
from workshop.domain.model.record import SessionRecord
from workshop.domain.research.privacy import round_scores
from workshop.domain.research.survey import OVERALL, rounds_in_order
from workshop.domain.walkthrough.summary import summarize
from workshop.interchange.report_diagram_pages import diagram_flowables
from workshop.interchange.report_text import H2, H3, H4, NOTE, human, org_name, para, table
from workshop.interchange.table1 import table1


class BackMatter:
    """Appends the back-matter sections to a story.

    ``width`` is the portrait frame's, ``wide`` × ``tall`` the landscape frame's.
    """

    def __init__(self, record: SessionRecord, width: float, wide: float, tall: float) -> None:
        self.record, self.s = record, record.session
        self.width, self.wide, self.tall = width, wide, tall

    def walkthroughs(self, story: list[Flowable]) -> None:
        if not self.s.walkthroughs:
            return
        story.append(para("Walking through the process", H2))
        for walkthrough_id in self.s.walkthroughs:
            summary = summarize(self.s, walkthrough_id)
            story.append(
                para(
                    f"{summary.walkthrough.scenario or 'Walkthrough'} — {summary.model_name}, "
                    f"{len(summary.moves)} steps",
                    H4,
                )
            )
            story.append(
                table(
                    ["#", "Where", "Organization", "Captured"],
                    [
                        [str(st.index + 1), st.label, st.organization, "; ".join(a.text for a in st.captures)]
                        for st in summary.moves
                    ],
                    self.width,
                )
            )

    def models(self, story: list[Flowable]) -> None:
        orgs = self.s.organizations
        for model in sorted(self.s.models.values(), key=lambda m: m.index):
            state = human(model.state)
            heading = model.name if state in model.name.lower() else f"{model.name} ({state} process)"
            story += [NextPageTemplate("landscape"), PageBreak()]
            story += diagram_flowables(self.s, model.id, self.wide, self.tall, heading)
            health = analyse(self.s, model.id)
            matrix = sorted(health.handoffs.items(), key=lambda item: -item[1])
            story.append(para("Handoffs between organizations", H3))
            story.append(
                table(
                    ["From", "To", "Handoffs"],
                    [[orgs[a].name, orgs[b].name, str(n)] for (a, b), n in matrix if a in orgs and b in orgs],
                    self.wide * 0.6,
                )
            )
            story.append(
                para(
                    "The longest path from start to end crosses organizations "
                    f"{count(health.longest_handoff_count, 'time')}; the model-health check lists "
                    f"{count(len(health.findings), 'finding')}.",
                    NOTE,
                )
            )
            claims = self._claim_rows(model.id)
            if claims:
                story.append(para("Who claims to own which activity", H3))
                story.append(table(["Activity", "Claimed by", "Resolved"], claims, self.wide * 0.8))
            story.append(NextPageTemplate("portrait"))
        if self.s.models:
            story.append(PageBreak())

    def _claim_rows(self, model_id: str) -> list[list[str]]:
        """Ownership claims on this model's activities: by organization, never by person."""
        rows = []
        for claim in self.s.claims.values():
            node = self.s.nodes.get(claim.node_id)
            if node is None or node.model_id != model_id:
                continue
            owner = org_name(self.s, node.owner_org_id) if claim.resolved and node.owner_org_id else ""
            resolved = f"yes: owned by {owner}" if owner else ("yes" if claim.resolved else "not yet")
            rows.append([node_name(node), org_name(self.s, claim.organization_id), resolved])
        return sorted(rows)

    def glossary(self, story: list[Flowable]) -> None:
        orgs = self.s.organizations
        if not self.s.glossary:
            return
        story.append(para("Shared language: the glossary", H2))
        story.append(
            table(
                ["Term", "What it means to each organization", "Agreed"],
                [
                    [
                        t.term,
                        "\n".join(f"{orgs[o].name}: {m}" for o, m in t.meanings.items() if o in orgs),
                        "yes" if t.agreed else "not yet",
                    ]
                    for t in self.s.glossary.values()
                ],
                self.width,
            )
        )

    def research(self, story: list[Flowable]) -> None:
        s = self.s
        header, rows = table1(s)
        scores = [
            (survey, [c for c in round_scores(self.record, survey.id) if c.dimension == OVERALL])
            for survey in rounds_in_order(s)
        ]
        if not rows and not any(cells for _survey, cells in scores) and not s.votes:
            return
        story.append(para("For the research record", H2))
        if rows:
            story.append(para("Data collected per intervention", H3))
            story.append(table(header[:6] + header[8:], [row[:6] + row[8:] for row in rows], self.width))
        if s.votes:
            totals: defaultdict[str, int] = defaultdict(int)
            for vote in s.votes.values():
                totals[vote.annotation_id] += vote.dots
            story.append(para("Dot votes", H3))
            story.append(
                table(
                    ["Idea or problem", "Dots"],
                    [
                        [s.annotations[a].text if a in s.annotations else "(removed)", str(n)]
                        for a, n in sorted(totals.items(), key=lambda item: -item[1])
                    ],
                    self.width,
                )
            )
        for survey, cells in scores:
            if not cells:
                continue
            story.append(
                para(f"Relational coordination: {survey.label} (cells with fewer than 3 respondents withheld)", H3)
            )
            story.append(
                table(
                    ["Organization", "About organization", "Mean", "Respondents", "Note"],
                    [
                        [
                            org_name(s, c.from_org),
                            org_name(s, c.about_org),
                            "" if c.mean is None else f"{c.mean:.3f}",
                            str(c.respondents),
                            "too few answers" if c.mean is None else "",
                        ]
                        for c in cells
                    ],
                    self.width,
                )
            )
