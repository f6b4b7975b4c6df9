"""Exercises used on course days are copied onto the day (``SessionExercise``) instead of
linked to a library row: the libraries are now inherited down the organisation tree and
the shipped exercises are not rows. Existing links become copies; existing library rows
stay as their organisations' own rows. Reversible: the copies become links again to the
row of the course's organisation with the same kind and title, where there is one."""

import django.db.models.deletion
from django.db import migrations, models


def links_to_copies(apps, schema_editor):
    Exercise = apps.get_model("peer", "Exercise")
    SessionExercise = apps.get_model("peer", "SessionExercise")
    for exercise in Exercise.objects.all():
        for session in exercise.sessions.all():
            SessionExercise.objects.get_or_create(
                session=session,
                kind=exercise.kind,
                title=exercise.title,
                defaults={"description": exercise.description},
            )


def copies_to_links(apps, schema_editor):
    Exercise = apps.get_model("peer", "Exercise")
    SessionExercise = apps.get_model("peer", "SessionExercise")
    for copy in SessionExercise.objects.select_related("session__cohort__round"):
        organisation_id = copy.session.cohort.round.organisation_id
        exercise = Exercise.objects.filter(
            organisation_id=organisation_id, kind=copy.kind, title=copy.title
        ).first()
        if exercise is None:
            exercise = Exercise.objects.create(
                organisation_id=organisation_id,
                kind=copy.kind,
                title=copy.title,
                description=copy.description,
            )
        exercise.sessions.add(copy.session)


class Migration(migrations.Migration):
    dependencies = [
        ("peer", "0012_user_organisation_trainings"),
    ]

    operations = [
        migrations.CreateModel(
            name="SessionExercise",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("role_play", "Role play"),
                            ("workshop", "Workshop or practical exercise"),
                        ],
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("description", models.TextField(verbose_name="description")),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="linked_exercises",
                        to="peer.coursesession",
                        verbose_name="course day",
                    ),
                ),
            ],
            options={
                "verbose_name": "exercise on a course day",
                "verbose_name_plural": "exercises on course days",
                "ordering": ["session__day", "kind", "title", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("session", "kind", "title"), name="session_exercise_once"
                    )
                ],
            },
        ),
        migrations.RunPython(links_to_copies, copies_to_links),
        migrations.RemoveField(
            model_name="exercise",
            name="sessions",
        ),
    ]
