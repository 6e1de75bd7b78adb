"""The app starts on both databases and serves its public pages."""

from tests.factories import make_family


def test_landing_page_explains_the_three_stages(client):
    page = client.get("/").get_data(as_text=True)
    assert "Instruction" in page and "2. Learner's permit" in page and "License" in page


def test_health_check_reports_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_family_factory_makes_parent_and_teen(db):
    family = make_family(db)
    assert family.teen_membership.group_id == family.group.id
