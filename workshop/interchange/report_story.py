"""What the session report says, in the order the organizations read it.

The report is the feedback handed to the organizations after an
intervention, so it speaks their language: titles, names and local dates,
never ids, enum values or ISO timestamps. Per intervention it says what was
done, what was found (knowledge boundaries, problems, ideas — explore or
exploit), what was decided (coordination mechanisms, the collaboration
contract) and what is still open. The process models, the glossary and the
research record (data collected, survey scores, the agenda as run) follow.

Every piece of people's text goes through :func:`para` (escaped: typed
markup prints as typed). Headings keep with what follows them; table columns
are sized so that no word is split unless it is wider than a column can be.

The report is assembled from three rooms: :mod:`report_text` (styles and
tables), :mod:`report_chapters` (one chapter per intervention) and
:mod:`report_back_matter` (walkthroughs, models, glossary, research record).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from workshop.domain.model.naming import count
from workshop.domain.model.record import SessionRecord
from workshop.interchange.record_tables import boundary_history
from workshop.interchange.report_back_matter import BackMatter
from workshop.interchange.report_chapters import ChapterWriter, chapters
from workshop.interchange.report_text import H1, H2, NOTE, human, local, para, table


class Report:
    """Builds the story; ``width`` is the portrait frame's, ``wide`` × ``tall`` the landscape frame's."""

    def __init__(self, record: SessionRecord, width: float, wide: float, tall: float) -> None:
        self.record, self.s = record, record.session
        self.width, self.wide, self.tall = width, wide, tall
        self.chapter = ChapterWriter(self.s, boundary_history(record), width)
        self.back = BackMatter(record, width, wide, tall)

    # -- the whole ----------------------------------------------------------------
    def story(self) -> list[Flowable]:
        s = self.s
        story: list[Flowable] = [para(s.title, H1)]
        if s.description:
            story.append(para(s.description))
        times = [r.time for r in self.record.records]
        if times:
            first, last = min(times), max(times)
            same_day = first.astimezone().date() == last.astimezone().date()
            span = f"{local(first)}–{local(last, date=False)}" if same_day else f"{local(first)} – {local(last)}"
            when = f"Workshop held {span} (local time)."
        else:
            when = f"Session created {local(s.created)}."
        story.append(Spacer(0, 3))
        story.append(para(when, NOTE))
        story += self._glance()
        story.append(para("Organizations and participants", H2))
        story.append(
            table(
                ["Organization", "Kind", "Participants"],
                [
                    [
                        org.name,
                        human(org.org_kind),
                        ", ".join(
                            f"{p.name} ({p.role})" if p.role else p.name
                            for p in s.participants.values()
                            if p.organization_id == org.id
                        ),
                    ]
                    for org in s.organizations.values()
                ],
                self.width,
            )
        )
        for chapter in chapters(self.record):
            self.chapter.write(chapter, story)
        self.back.walkthroughs(story)
        self.back.models(story)
        self.back.glossary(story)
        self.back.research(story)
        return story

    def _glance(self) -> list[Flowable]:
        s = self.s
        open_boundaries = sum(1 for b in s.boundaries.values() if str(b.status) != "crossed")
        visible = [a for a in s.annotations.values() if not a.hidden]
        ideas = [a for a in visible if str(a.annotation_kind) == "idea"]
        explore = sum(1 for a in ideas if str(a.idea_mode or "") == "explore")
        exploit = sum(1 for a in ideas if str(a.idea_mode or "") == "exploit")
        problems = sum(1 for a in visible if str(a.annotation_kind) == "problem")
        people = count(len(s.participants), "participant") if s.participants else "no participants on record"
        lines = [
            f"{count(len(s.organizations), 'organization')}, {people}.",
            f"{count(len(s.boundaries), 'knowledge boundary', 'knowledge boundaries')} found, "
            f"{open_boundaries} still open.",
            f"{count(problems, 'problem')} and {count(len(ideas), 'idea')} ({explore} to explore new ways, "
            f"{exploit} to improve today's).",
            f"{count(len(s.mechanisms), 'coordination mechanism')} and {count(len(s.commitments), 'commitment')} "
            "in the collaboration contract.",
        ]
        return [para("At a glance", H2), *[para("• " + line) for line in lines]]


def report_story(record: SessionRecord, width: float, wide: float, tall: float) -> list[Flowable]:
    """The report's flowables for a de-identified ``record`` (see
    :func:`workshop.domain.research.privacy.public_record`)."""
    return Report(record, width, wide, tall).story()
