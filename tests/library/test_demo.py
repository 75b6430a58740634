"""The demo fills the library: /library?q=plastic finds the plastics material."""

from __future__ import annotations

from markupsafe import escape
from sqlalchemy import select

from consult.demo import seed_demo
from consult.demo.library import RESOURCES
from consult.extensions import db
from consult.library.models import LibraryEntry
from consult.library.services import LibraryQuery, search_library


def test_demo_resources_and_best_practices_are_searchable(app, client, now):
    seed_demo(now=now)
    db.session.commit()
    entries = list(db.session.scalars(select(LibraryEntry)))
    resources = [e for e in entries if e.is_resource]
    assert len(resources) == len(RESOURCES)
    assert all(
        e.link_list == [] or e.link_list[0].startswith("https://") for e in resources
    )
    plastic = search_library(LibraryQuery(q="plastic"), per_page=100)
    titles = {e.title for e in plastic.entries}
    assert "Malaysia Plastics Sustainability Roadmap 2021–2030" in titles
    assert "Directive (EU) 2019/904 on single-use plastics" in titles
    practices = [e for e in plastic.entries if e.source == "input"]
    assert practices, "the demo's plastics best practices are in the library"
    assert all(e.input.state == "published" for e in practices)
    page = client.get("/library?q=plastic").get_data(as_text=True)
    assert "Malaysia Plastics Sustainability Roadmap" in page
    for entry in practices:
        assert str(escape(entry.title)) in page or plastic.total > 20
