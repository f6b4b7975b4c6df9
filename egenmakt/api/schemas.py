"""What the API answers: one schema per response, so the OpenAPI document is exact."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class TokenOut(Schema):
    name: str
    kind: str  # "personal" or "service"
    scopes: list[str]
    expires_at: datetime
    user_id: int | None
    organisation_id: int | None


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None


class MembershipOut(Schema):
    id: int
    user_id: int
    full_name: str
    organisation_id: int
    role: str
    created_at: datetime


class ClientSummaryOut(Schema):
    id: int
    full_name: str
    organisation_id: int
    phase: str
    started_on: date
    restricted: bool


class ConsentOut(Schema):
    id: int
    given_on: date
    form: str
    scope: list[str]
    valid_until: date | None
    revoked_at: datetime | None
    organisation_ids: list[int]


class ClientOut(ClientSummaryOut):
    consents: list[ConsentOut]


class MeetingOut(Schema):
    id: int
    starts_at: datetime
    duration_minutes: int
    place: str
    status: str
    invited: int
    came: int


class ActivityOut(Schema):
    uid: str
    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    place: str
    organisation: str
