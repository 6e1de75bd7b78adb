"""The privacy setup (scoring, co-signing) and the personal brand builder (bio, photo)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlmodel import select

from learner import privacy, profile
from learner.core.db import utc_now
from learner.core.images import ImageError, clean_image
from learner.errors import DomainError
from learner.models import AgeBand, BrandProfile, GroupKind, PrivacySetup, PrivacySignoff
from tests.factories import make_family, make_group, make_learner, make_supervisor, png_bytes
from tests.helpers import count_rows, login, post

SAFEST = {s.id: min(s.options, key=lambda o: o.risk).value for s in privacy.SETTINGS}
LOOSEST = {s.id: max(s.options, key=lambda o: o.risk).value for s in privacy.SETTINGS}


def test_panel_mirrors_real_networks_with_at_least_12_settings():
    assert len(privacy.SETTINGS) >= 12
    for setting in privacy.SETTINGS:
        assert setting.explanation and len(setting.options) >= 2
        assert set(setting.recommended) == set(AgeBand)
        assert all(o.exposes for o in setting.options if o.risk > 0 and o.risk >= 2)


def test_safest_choices_score_100_and_loosest_list_what_they_expose():
    assert privacy.review(SAFEST, AgeBand.AGE_13_15).score == 100
    loose = privacy.review(LOOSEST, AgeBand.AGE_13_15)
    assert loose.score == 0 and len(loose.weak) == len(privacy.SETTINGS)
    assert all(option.exposes for _setting, option in loose.weak)


def test_recommendations_loosen_with_age():
    choice = {**SAFEST, "profile_visibility": "friends_of_friends"}
    assert privacy.review(choice, AgeBand.UNDER_13).score < 100
    assert privacy.review(choice, AgeBand.ADULT).score == 100


@pytest.mark.parametrize(
    "choices", [{}, {**SAFEST, "tag_review": "maybe"}, {**SAFEST, "made_up": "x"}]
)
def test_incomplete_or_unknown_choices_are_refused(choices):
    with pytest.raises(privacy.PrivacyInputError):
        privacy.check_choices(choices)


def test_saving_again_makes_a_new_revision_that_needs_a_new_signoff(db):
    family = make_family(db)
    now = utc_now()
    setup = profile.save_privacy(session=db, user=family.teen, choices=SAFEST, now=now)
    profile.cosign_privacy(
        session=db,
        membership=family.teen_membership,
        supervisor=family.parent,
        revision=1,
        now=now,
    )
    assert profile.privacy_signoff(db, family.teen_membership, setup) is not None
    same = profile.save_privacy(session=db, user=family.teen, choices=SAFEST, now=now)
    assert same.revision == 1
    changed = profile.save_privacy(session=db, user=family.teen, choices=LOOSEST, now=now)
    db.commit()
    assert changed.revision == 2 and changed.score == 0
    assert profile.privacy_signoff(db, family.teen_membership, changed) is None


def test_cosigning_needs_a_setup(db):
    family = make_family(db)
    with pytest.raises(DomainError):
        profile.cosign_privacy(
            session=db,
            membership=family.teen_membership,
            supervisor=family.parent,
            revision=1,
            now=utc_now(),
        )


def test_learner_saves_the_setup_and_sees_the_score_in_the_browser(client, db):
    family = make_family(db)
    login(client, family.teen)
    page = client.get("/privacy").get_data(as_text=True)
    assert page.count('type="radio"') >= 2 * len(privacy.SETTINGS)
    assert post(client, "/privacy", LOOSEST).status_code == 302
    page = client.get("/privacy").get_data(as_text=True)
    assert "Your score: 0%" in page and "Anyone on the internet" in page
    assert post(client, "/privacy", {"tag_review": "on"}).status_code == 400
    assert db.exec(select(PrivacySetup)).one().revision == 1


def test_supervisor_cosigns_and_the_learner_cannot(client, db):
    family = make_family(db)
    profile.save_privacy(session=db, user=family.teen, choices=SAFEST, now=utc_now())
    db.commit()
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}"
    login(client, family.teen)
    assert post(client, url + "/privacy/cosign", {"revision": 1}).status_code == 403
    login(client, family.parent)
    assert "not co-signed yet" in client.get(url + "/progress").get_data(as_text=True)
    assert post(client, url + "/privacy/cosign", {"revision": 1}).status_code == 302
    assert count_rows(db, PrivacySignoff) == 1
    assert "co-signed on" in client.get(url + "/progress").get_data(as_text=True)


def test_cosigning_a_revision_the_supervisor_did_not_see_is_refused(client, db):
    family = make_family(db)
    profile.save_privacy(session=db, user=family.teen, choices=SAFEST, now=utc_now())
    profile.save_privacy(session=db, user=family.teen, choices=LOOSEST, now=utc_now())
    db.commit()
    login(client, family.parent)
    url = f"/groups/{family.group.id}/members/{family.teen_membership.id}/privacy/cosign"
    response = post(client, url, {"revision": 1}, follow_redirects=True)
    assert "settings changed since you opened the page" in response.get_data(as_text=True)
    assert count_rows(db, PrivacySignoff) == 0


# The personal brand builder


def test_photo_is_re_encoded_without_gps_and_gps_is_reported():
    cleaned = clean_image(png_bytes((64, 48), gps=True))
    assert cleaned.had_gps and cleaned.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(cleaned.data)).getexif().get_ifd(0x8825)
    assert not clean_image(png_bytes()).had_gps


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"GIF89a not really", "not an image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "not an image"),
        (png_bytes(fmt="GIF"), "JPEG, PNG or WebP"),
        (b"x" * (6 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_bad_uploads_get_a_clear_message(raw, message):
    with pytest.raises(ImageError, match=message):
        clean_image(raw)


def test_decompression_bombs_are_refused():
    bomb = io.BytesIO()
    Image.new("1", (12000, 12000)).save(bomb, format="PNG")
    with pytest.raises(ImageError, match="too many pixels"):
        clean_image(bomb.getvalue())


def test_brand_builder_saves_and_previews(client, db):
    family = make_family(db)
    login(client, family.teen)
    form = {
        "handle": "@leo.makes",
        "display_name": "Leo Rivera",
        "bio": "I write songs and fix bikes. Learning to record my own music.",
        "photo": (io.BytesIO(png_bytes((40, 40), gps=True)), "me.jpg"),
    }
    response = post(client, "/brand", form, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get("/brand/preview").get_data(as_text=True)
    assert "@leo.makes" in page and "A real photo" in page and "looks good" in page
    saved = db.exec(select(BrandProfile)).one()
    assert saved.avatar and not Image.open(io.BytesIO(saved.avatar)).getexif().get_ifd(0x8825)
    photo = client.get(f"/brand/{family.teen.id}/avatar")
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/jpeg"


def test_long_bio_and_bad_photo_are_refused_and_nothing_saved(client, db):
    family = make_family(db)
    login(client, family.teen)
    long_bio = post(client, "/brand", {"handle": "leo", "display_name": "Leo", "bio": "x" * 161})
    assert long_bio.status_code == 400
    bad = post(
        client,
        "/brand",
        {"handle": "leo", "display_name": "Leo", "photo": (io.BytesIO(b"not an image"), "x.png")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "not an image we can read" in bad.get_data(as_text=True)
    assert count_rows(db, BrandProfile) == 0


def test_photos_are_seen_by_the_owners_supervisors_only(client, db):
    family = make_family(db)
    profile.save_brand(
        session=db,
        user=family.teen,
        handle="leo",
        display_name="Leo",
        bio="",
        avatar=clean_image(png_bytes()),
        now=utc_now(),
    )
    db.commit()
    url = f"/brand/{family.teen.id}/avatar"
    login(client, family.parent)
    assert client.get(url).status_code == 200
    teacher = make_supervisor(db)
    make_group(db, teacher, kind=GroupKind.CLASSROOM)
    classmate_group = make_group(db, make_supervisor(db), kind=GroupKind.CLASSROOM)
    classmate, _membership = make_learner(db, classmate_group)
    for outsider in (teacher, classmate):
        login(client, outsider)
        assert client.get(url).status_code == 404
