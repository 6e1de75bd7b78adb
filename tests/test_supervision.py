"""Doing it together: 'Talk about it' for supervisors, and the family agreement."""

from __future__ import annotations

import pytest

from learner import agreements
from learner.core.db import utc_now
from learner.errors import DomainError
from learner.models import AgreementStatus, GroupKind, ModuleDiscussion
from tests.factories import (
    add_supervisor,
    give_learner_history,
    make_family,
    make_group,
    make_learner,
    make_supervisor,
    real_catalog,
)
from tests.helpers import QueryCounter, count_rows, login, post, reload

TERMS = {
    "passwords": "Mum knows the main one.",
    "checks": "Sunday evenings, together.",
    "after_mistake": "We talk first; no phone ban for honest mistakes.",
    "lighter_checks": "After two good months, monthly.",
}


def progress_url(family) -> str:
    return f"/groups/{family.group.id}/members/{family.teen_membership.id}"


def test_supervisor_sees_talk_prompts_and_marks_a_module_discussed(client, db):
    family = make_family(db)
    module = real_catalog().get("public-by-default")
    login(client, family.parent)
    page = client.get(progress_url(family) + "/progress").get_data(as_text=True)
    assert "Talk about it" in page and "Not started" in page
    response = post(
        client,
        progress_url(family) + f"/modules/{module.id}/discussed",
        {f"m-{module.id}-note": "We tried the auditorium test on three old posts."},
    )
    assert response.status_code == 302
    assert count_rows(db, ModuleDiscussion) == 1
    page = client.get(progress_url(family) + "/progress").get_data(as_text=True)
    assert "auditorium test on three old posts.</textarea>" in page  # kept for updating
    login(client, family.teen)
    page = client.get(progress_url(family) + "/progress").get_data(as_text=True)
    assert "auditorium test on three old posts" in page and "Mark as discussed" not in page


def test_learner_cannot_mark_discussed_and_outsiders_get_404(client, db):
    family = make_family(db)
    url = progress_url(family) + "/modules/public-by-default/discussed"
    login(client, family.teen)
    assert post(client, url, {"m-public-by-default-note": "x"}).status_code == 403
    login(client, make_supervisor(db))
    assert post(client, url, {"m-public-by-default-note": "x"}).status_code == 404
    assert client.get(progress_url(family) + "/progress").status_code == 404
    assert count_rows(db, ModuleDiscussion) == 0


def test_a_too_long_note_is_shown_next_to_its_field_and_modules_outside_the_track_404(client, db):
    family = make_family(db)
    login(client, family.parent)
    url = progress_url(family) + "/modules/public-by-default/discussed"
    response = post(client, url, {"m-public-by-default-note": "x" * 1001})
    assert response.status_code == 400
    assert 'id="m-public-by-default-note-error"' in response.get_data(as_text=True)
    workplace_only = progress_url(family) + "/modules/personal-social-media-policy/discussed"
    assert post(client, workplace_only, {}).status_code == 404
    assert count_rows(db, ModuleDiscussion) == 0


def test_other_learners_progress_is_private(client, db):
    family = make_family(db)
    sibling, _membership = make_learner(db, family.group)
    login(client, sibling)
    assert client.get(progress_url(family) + "/progress").status_code == 404


def test_progress_page_queries_do_not_grow_with_the_learners_history(app, client, db):
    family = make_family(db)
    give_learner_history(db, family)
    url = progress_url(family) + "/progress"
    login(client, family.parent)
    with QueryCounter(app.extensions["engine"]) as before:
        assert client.get(url).status_code == 200
    login(client, family.teen)
    for module in real_catalog().modules(tracks={"core", "family"})[:6]:
        client.get(f"/lessons/{module.id}")
    login(client, family.parent)
    for module in real_catalog().modules(tracks={"core"})[:4]:
        post(client, progress_url(family) + f"/modules/{module.id}/discussed", {})
    with QueryCounter(app.extensions["engine"]) as after:
        assert client.get(url).status_code == 200
    assert before.count == after.count <= 15


def test_agreement_takes_effect_when_both_sides_sign(db):
    family = make_family(db)
    now = utc_now()
    proposal = agreements.propose(
        session=db, membership=family.teen_membership, proposer=family.parent, terms=TERMS, now=now
    )
    assert proposal.status is AgreementStatus.PROPOSED
    with pytest.raises(DomainError, match="already signed"):
        agreements.sign(
            session=db,
            membership=family.teen_membership,
            agreement=proposal,
            signer=family.parent,
            now=now,
        )
    assert agreements.sign(
        session=db,
        membership=family.teen_membership,
        agreement=proposal,
        signer=family.teen,
        now=now,
    )
    db.commit()
    assert agreements.state(db, family.teen_membership).active.id == proposal.id


def test_a_proposed_change_keeps_the_old_version_until_signed(db):
    family = make_family(db)
    now = utc_now()
    first = agreements.propose(
        session=db, membership=family.teen_membership, proposer=family.parent, terms=TERMS, now=now
    )
    agreements.sign(
        session=db, membership=family.teen_membership, agreement=first, signer=family.teen, now=now
    )
    change = agreements.propose(
        session=db,
        membership=family.teen_membership,
        proposer=family.teen,
        terms={**TERMS, "checks": "Every other Sunday."},
        now=now,
    )
    state = agreements.state(db, family.teen_membership)
    assert state.active.id == first.id and state.proposed.id == change.id
    agreements.sign(
        session=db,
        membership=family.teen_membership,
        agreement=change,
        signer=family.parent,
        now=now,
    )
    db.commit()
    assert reload(db, first).status is AgreementStatus.SUPERSEDED
    assert agreements.state(db, family.teen_membership).active.version == 2


def test_a_second_parent_alone_cannot_make_it_active(db):
    family = make_family(db)
    other_parent = make_supervisor(db)
    add_supervisor(db, family.group, other_parent)
    proposal = agreements.propose(
        session=db,
        membership=family.teen_membership,
        proposer=family.parent,
        terms=TERMS,
        now=utc_now(),
    )
    assert not agreements.sign(
        session=db,
        membership=family.teen_membership,
        agreement=proposal,
        signer=other_parent,
        now=utc_now(),
    )


def test_missing_terms_are_refused_with_the_field(db):
    family = make_family(db)
    with pytest.raises(DomainError) as error:
        agreements.propose(
            session=db,
            membership=family.teen_membership,
            proposer=family.parent,
            terms={**TERMS, "checks": " "},
            now=utc_now(),
        )
    assert error.value.field == "checks"


def test_agreement_in_the_browser_both_sign(client, db):
    family = make_family(db)
    url = progress_url(family) + "/agreement"
    login(client, family.teen)
    assert "No agreement yet" in client.get(url).get_data(as_text=True)
    assert post(client, url, {**TERMS, "checks": ""}).status_code == 400
    assert post(client, url, TERMS).status_code == 302
    login(client, family.parent)
    page = client.get(url).get_data(as_text=True)
    assert "Waiting for signatures" in page and "Sunday evenings" in page
    proposal = agreements.state(db, family.teen_membership).proposed
    assert post(client, f"{url}/{proposal.id}/sign").status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "In force" in page and "Version 1, since" in page


def test_agreements_exist_only_in_families(client, db):
    teacher = make_supervisor(db)
    classroom = make_group(db, teacher, kind=GroupKind.CLASSROOM)
    _student, membership = make_learner(db, classroom)
    login(client, teacher)
    url = f"/groups/{classroom.id}/members/{membership.id}/agreement"
    assert client.get(url).status_code == 404


def test_the_family_agreement_lesson_leads_to_the_agreement(client, db):
    family = make_family(db)
    login(client, family.teen)
    page = client.get("/lessons/family-agreement").get_data(as_text=True)
    assert progress_url(family) + "/agreement" in page
    other = client.get("/lessons/public-by-default").get_data(as_text=True)
    assert "/agreement" not in other


def test_the_note_form_in_the_lessons_loop_is_drawn_as_the_macros_draw_it(app, client, db):
    """The progress page draws each lesson's note form in its loop (not with hidden_tag and
    render_field): the very same HTML, a saved note with markup in it included, escaped."""
    import re

    from flask import render_template_string

    from learner.views.supervision import _discussed_form

    family = make_family(db)
    module = real_catalog().get("public-by-default")
    note = 'We said <b>"no"</b> & meant it.'
    login(client, family.parent)
    url = progress_url(family) + f"/modules/{module.id}/discussed"
    post(client, url, {f"m-{module.id}-note": note})
    page = client.get(progress_url(family) + "/progress").get_data(as_text=True)
    with app.test_request_context():
        expected = render_template_string(
            '{% from "_macros/forms.html" import render_field %}'
            "{{ form.hidden_tag() }}{{ render_field(form.note) }}",
            form=_discussed_form(module.id, note),
        )

    def squeeze(html: str) -> str:
        html = re.sub(r'value="[^"]{40,}"', 'value="TOKEN"', html)
        return re.sub(r">\s+<", "><", re.sub(r"[ \n]+", " ", html)).strip()

    drawn = page[page.index(f'<form method="post" action="{url}" novalidate>') :]
    drawn = drawn[drawn.index(">") + 1 : drawn.index("</div>") + len("</div>")]
    assert f'name="m-{module.id}-csrf_token" type="hidden"' in drawn
    assert "&lt;b&gt;&#34;no&#34;&lt;/b&gt; &amp; meant it." in drawn
    assert squeeze(drawn) == squeeze(expected)
