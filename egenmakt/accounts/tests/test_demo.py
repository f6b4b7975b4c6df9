from egenmakt.accounts.models import Membership, Organisation, OrganisationKind, User
from egenmakt.accounts.roles import Role
from egenmakt.demo.cast import EXTRA_PEOPLE, cast_keys, seed_demo_region


def test_seed_demo_is_idempotent(cast):
    users, orgs, memberships = (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    )
    again = seed_demo_region()
    assert (User.objects.count(), Organisation.objects.count(), Membership.objects.count()) == (
        users,
        orgs,
        memberships,
    )
    assert again.coordinator == cast.coordinator


def test_every_role_has_a_person_and_an_outsider(cast):
    for role in Role.values:
        assert Membership.objects.filter(user=cast.people[role], role=role).exists()
        assert Membership.objects.filter(user=cast.people[f"outsider_{role}"], role=role).exists()
    assert len(cast_keys()) == 2 * len(Role.values) + len(EXTRA_PEOPLE)
    # The second interviewer (interviews are held in pairs) is from the region.
    assert Membership.objects.filter(
        user=cast.second_interviewer, role=Role.INTERVIEWER, organisation=cast.org("clinic")
    ).exists()


def test_demo_region_has_the_promised_organisations(cast):
    kinds = list(Organisation.objects.values_list("kind", flat=True))
    assert kinds.count(OrganisationKind.WORKPLACE) == 3
    assert kinds.count(OrganisationKind.USER_ORGANISATION) == 2
    assert OrganisationKind.USER_NETWORK in kinds
    assert cast.org("clinic").parent == cast.org("region")
    assert cast.org("housing_support").ancestor_ids()[-1] == cast.org("municipality").pk


def test_demo_names_are_swedish_and_stable(cast):
    assert all(user.full_name and " " in user.full_name for user in cast.people.values())
    assert all(user.email.endswith("@egenmakt.example") for user in cast.people.values())


def test_the_course_participant_seed_demo_prints_can_sign_in_with_the_printed_password(db):
    # Issue 17, finding 9: the command printed deltagare1, who has no password.
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    out = StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    password = next(line for line in lines if line.startswith("Password for every demo user:"))
    password = password.split(":", 1)[1].strip()
    participant = next(line for line in lines if line.strip().startswith("Course participant"))
    email = participant.split()[2]
    browser = Client()
    signed_in = browser.post("/logga-in/", {"username": email, "password": password})
    assert signed_in.status_code == 302
    assert browser.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_the_printed_participant_signs_in_on_an_older_demo_database_too(db):
    """``make run`` seeds an existing database again: the participant it prints must sign
    in with the printed password even where an older seed left that account without it
    (issue 26: the printed participant's login was refused)."""
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    from egenmakt.peer.models import Participant

    call_command("seed_demo", quiet_logins=True)
    for participant in Participant.objects.filter(user__isnull=False).select_related("user"):
        participant.user.set_unusable_password()
        participant.user.save()
    out = StringIO()
    call_command("seed_demo", only_logins=True, stdout=out)
    lines = out.getvalue().splitlines()
    password = next(line for line in lines if line.startswith("Password for every demo user:"))
    password = password.split(":", 1)[1].strip()
    participant = next(line for line in lines if line.strip().startswith("Course participant"))
    email = participant.split()[2]
    browser = Client()
    signed_in = browser.post("/logga-in/", {"username": email, "password": password})
    assert signed_in.status_code == 302
    assert browser.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_make_run_prints_the_logins_after_the_seed_s_e_mails():
    """The logins scrolled away under the e-mails the worker printed: ``make run`` seeds
    quietly, delivers what the seed queued, then prints the logins."""
    from pathlib import Path

    from django.conf import settings

    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    seed = run.index("seed_demo --quiet-logins")
    deliver = run.index("db_worker --batch")
    logins = run.index("seed_demo --only-logins")
    serve = run.index("runserver")
    assert seed < deliver < logins < serve
