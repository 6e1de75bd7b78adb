"""'Share to Classroom': a plain link to Google Classroom on lessons and assignments."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

from tests.factories import make_classroom, real_catalog
from tests.helpers import login, post

MODULE = real_catalog().get("public-by-default")


def share_links(page: str) -> list[dict]:
    found = re.findall(r'href="(https://classroom\.google\.com/share\?[^"]+)"([^>]*)>', page)
    links = []
    for href, attributes in found:
        parts = urlsplit(unescape(href))
        links.append({k: v[0] for k, v in parse_qs(parts.query).items()} | {"attrs": attributes})
    return links


def test_a_lesson_page_has_a_share_to_classroom_link_and_no_google_script(client, db):
    login(client, make_classroom(db, students=1).students[0][0])
    page = client.get(f"/lessons/{MODULE.id}").get_data(as_text=True)
    [link] = share_links(page)
    assert link["url"] == f"http://localhost/lessons/{MODULE.id}"
    assert link["title"] == MODULE.title and link["itemtype"] == "material"
    assert 'rel="noopener noreferrer"' in link["attrs"]
    assert "Share to Classroom" in page
    assert not re.search(r"<script[^>]+google", page)


def test_each_assignment_has_a_share_link_as_an_assignment(client, db):
    klass = make_classroom(db, students=1)
    login(client, klass.teacher)
    url = f"/groups/{klass.group.id}/assignments"
    post(client, url, {"module_id": MODULE.id, "due_on": date.today().isoformat()})
    page = client.get(url).get_data(as_text=True)
    [link] = share_links(page)
    assert link["itemtype"] == "assignment" and link["title"] == MODULE.title
    assert link["url"] == f"http://localhost/lessons/{MODULE.id}"
