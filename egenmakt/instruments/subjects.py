"""What a response can be about, who may reach it, and whose personal data it is.

Each app contributes its subject models (a client, an applicant, a workplace...) as
``SubjectType`` values ("subjects" in its ``AppConfig.contributes``, see
``egenmakt/core/registry.py``), each with a ``slug`` that names the type in URLs and:

* ``access(user, subject, action) -> bool``: may this user ``view`` or ``change``
  (answer) instruments about this subject;
* ``person(subject) -> model or None``: the person whose data a response about this
  subject is, for the access log (None for an organisation's checklist);
* optionally ``url(subject) -> str``: the subject's own page in its app, which the
  instrument pages link back to;
* optionally ``visible_responses(user, subject, responses) -> responses``: narrows the
  responses about a subject to those this user may read, when reaching the subject is
  not enough (a client's worksheet that one organisation keeps to itself);
* optionally ``start_url(subject, key) -> str``: where answering starts when the owning
  app records more than the response (a client's worksheet records who was present);
* optionally ``organisation(subject) -> Organisation or None``: the organisation that owns
  the subject (a client's organisation, an interview's round's organisation), whose
  version of an instrument new responses about it are given on
  (``selectors.current_definition``); without one, the shipped version.

Subjects outside a user's reach answer 404 (``get_subject_for_user``), exactly as
subjects that do not exist. See ``models.py`` for why the relation is generic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from egenmakt.accounts.types import Viewer
from egenmakt.core.registry import contributions

if TYPE_CHECKING:
    from egenmakt.accounts.models import Organisation

SubjectAction = Literal["view", "change"]
AccessFunction = Callable[[Any, Any, SubjectAction], bool]
PersonFunction = Callable[[Any], models.Model | None]
UrlFunction = Callable[[Any], str]
VisibleFunction = Callable[[Any, Any, "QuerySet[Any]"], "QuerySet[Any]"]
StartUrlFunction = Callable[[Any, str], str]
ReadReasonFunction = Callable[[Any, Any], str]
OrganisationFunction = Callable[[Any], Any]


@dataclass(frozen=True)
class SubjectType:
    model: type[models.Model]
    slug: str
    access: AccessFunction
    person: PersonFunction
    url: UrlFunction | None = None
    visible_responses: VisibleFunction | None = None
    start_url: StartUrlFunction | None = None
    # The reason a read of the subject's data logs, when the subject's app sets one (a
    # sealed client record: the reason given to open it); else the page's own.
    read_reason: ReadReasonFunction | None = None
    # The organisation whose instrument versions apply to the subject (see above).
    organisation: OrganisationFunction | None = None


def subject_types() -> tuple[SubjectType, ...]:
    """Every app's subjects, in ``INSTALLED_APPS`` order."""
    return contributions("subjects", SubjectType)


def subject_type_by_slug(slug: str) -> SubjectType | None:
    found: dict[str, SubjectType] = {}
    for subject_type in subject_types():
        existing = found.setdefault(subject_type.slug, subject_type)
        if existing.model is not subject_type.model:
            raise ImproperlyConfigured(
                f"The subject slug {subject_type.slug!r} is used by {existing.model} "
                f"and {subject_type.model}."
            )
    return found.get(slug)


def subject_type_for_model(model: type[models.Model]) -> SubjectType | None:
    concrete = model._meta.concrete_model
    return next((t for t in subject_types() if t.model is concrete), None)


def subject_type_for_content_type(content_type: ContentType) -> SubjectType | None:
    model = content_type.model_class()
    return subject_type_for_model(model) if model is not None else None


def can_access_subject(user: Viewer, subject: models.Model, action: SubjectAction) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    subject_type = subject_type_for_model(type(subject))
    return subject_type is not None and bool(subject_type.access(user, subject, action))


def read_reason_of(user: Viewer, subject: models.Model, page_reason: str) -> str:
    """What the access-log row of a read says: the subject's own reason, else the page's."""
    subject_type = subject_type_for_model(type(subject))
    if subject_type is None or subject_type.read_reason is None:
        return page_reason
    return subject_type.read_reason(user, subject) or page_reason


def person_of(subject: models.Model) -> models.Model | None:
    subject_type = subject_type_for_model(type(subject))
    return subject_type.person(subject) if subject_type is not None else None


def organisation_of(subject: models.Model) -> Organisation | None:
    """The organisation whose versions of the instruments apply to ``subject``."""
    subject_type = subject_type_for_model(type(subject))
    if subject_type is None or subject_type.organisation is None:
        return None
    return cast("Organisation | None", subject_type.organisation(subject))


def page_url_of(subject: models.Model | None) -> str:
    """The subject's own page, or "" when its app registered none."""
    if subject is None:
        return ""
    subject_type = subject_type_for_model(type(subject))
    if subject_type is None or subject_type.url is None:
        return ""
    return subject_type.url(subject)


def get_subject_by_slug_for_user(
    user: Viewer, slug: str, subject_id: str, action: SubjectAction = "view"
) -> tuple[SubjectType, models.Model]:
    """The subject named in a URL, or 404 for missing, unregistered and out of reach alike."""
    subject_type = subject_type_by_slug(slug)
    if subject_type is None:
        raise Http404
    subject = _load(subject_type, subject_id)
    if subject is None or not can_access_subject(user, subject, action):
        raise Http404
    return subject_type, subject


def get_subject_for_user(
    user: Viewer, content_type: ContentType, subject_id: Any, action: SubjectAction = "view"
) -> models.Model:
    """The subject, or 404 when it is missing or outside the user's reach."""
    subject_type = subject_type_for_content_type(content_type)
    if subject_type is None:
        raise Http404
    subject = _load(subject_type, subject_id)
    if subject is None or not can_access_subject(user, subject, action):
        raise Http404
    return subject


def _load(subject_type: SubjectType, subject_id: Any) -> models.Model | None:
    try:
        return subject_type.model._default_manager.filter(pk=subject_id).first()
    except (ValueError, TypeError, ValidationError):
        # A malformed id (letters for an integer key, not a UUID...) is simply not found.
        return None


def visible_responses_of(
    user: Viewer, subject: models.Model, responses: QuerySet[Any]
) -> QuerySet[Any]:
    """``responses`` about ``subject`` narrowed to what the user may read."""
    subject_type = subject_type_for_model(type(subject))
    if subject_type is None or subject_type.visible_responses is None:
        return responses
    return subject_type.visible_responses(user, subject, responses)


def start_url_of(subject: models.Model, key: str) -> str:
    """The owning app's page for starting ``key`` about the subject, or ""."""
    subject_type = subject_type_for_model(type(subject))
    if subject_type is None or subject_type.start_url is None:
        return ""
    return subject_type.start_url(subject, key)


def may_read_response(user: Viewer, subject: models.Model, response: models.Model) -> bool:
    """Reaching the subject is enough unless its app narrows which responses one reads."""
    subject_type = subject_type_for_model(type(subject))
    if subject_type is None or subject_type.visible_responses is None:
        return True
    model = type(response)
    return subject_type.visible_responses(
        user, subject, model._default_manager.filter(pk=response.pk)
    ).exists()
