"""Who may change what in the admin, and the login lockout."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

EDITOR_PAGES = [
    "/admin/delegations/reportedfigure/",
    "/admin/delegations/reportedfigure/add/",
    "/admin/delegations/pavilion/add/",
    "/admin/companies/company/add/",
    "/admin/companies/contract/add/",
]


@pytest.fixture
def loaded(db):
    call_command("loaddata", "fixtures/ces_articles.json", verbosity=0)


def staff(name, *groups):
    user = User.objects.create_user(name, password="a long enough passphrase", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def test_an_editor_enters_ces_data_but_does_not_manage_users(client, loaded):
    client.force_login(staff("editor", "editors"))

    for url in EDITOR_PAGES:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/add/").status_code == 403


def test_staff_outside_the_editors_see_nothing_to_change(client, loaded):
    client.force_login(staff("visitor"))

    index = client.get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert "You don’t have permission to view or edit anything." in index
    assert client.get(EDITOR_PAGES[0]).status_code == 403


def log_in(client, username, password):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        headers={"accept-language": "en"},
    )


def test_repeated_wrong_passwords_lock_that_login_for_a_while(client, loaded):
    staff("editor", "editors")
    staff("colleague", "editors")

    for _attempt in range(4):
        assert log_in(client, "editor", "wrong").status_code == 200  # the form, with its error
    locked = log_in(client, "editor", "wrong")
    after = log_in(client, "editor", "a long enough passphrase")

    assert locked.status_code == 429
    assert "Too many wrong passwords were tried for this account" in locked.content.decode()
    assert "Try again in 15 minutes." in locked.content.decode()
    assert after.status_code == 429  # even the right password, until the lock expires
    assert log_in(client, "colleague", "a long enough passphrase").status_code == 302
