"""POST /v1/corrections and GET /v1/corrections: reporters' fixes of a stance, kept in the store."""

import hashlib
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from prometheus_client import Counter
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from quote_stance.service.errors import error_response
from quote_stance.service.routes.score import ERRORS
from quote_stance.service.schemas import (
    EXAMPLE_QUOTE,
    EXAMPLE_VERSION,
    NOT_BLANK,
    ErrorBody,
    Stance,
    length_check,
    not_blank,
)
from quote_stance.service.scoring import ScoringService
from quote_stance.service.security import HEADER
from quote_stance.service.settings import Settings
from quote_stance.store.repository import CorrectionStore, StoreUnavailable
from quote_stance.store.schema import NAME_LIMIT, NOTE_LIMIT

# PostgreSQL cannot keep a NUL character in text, so none is accepted anywhere; the schema says so.
NO_NUL = r"^[^\x00]*$"
NOT_BLANK_NO_NUL = r"^[^\x00]*" + NOT_BLANK.replace("[^", "[^\\x00", 1) + r"[^\x00]*$"

EXAMPLE = {
    "text": EXAMPLE_QUOTE,
    "label": "oppose",
    "speaker": "Dana Whitfield",
    "speaker_role": "Mayor",
    "predicted": "neutral",
    "model_version": EXAMPLE_VERSION,
    "note": "the mayor vows to sue: oppose",
}


def _checked(field: str, limit: int, setting: str = "") -> Callable[[str], str]:
    """No NUL; lone surrogates read as U+FFFD (as on the score route); at most `limit` characters."""
    where = f" ({setting})" if setting else ""
    too_long = length_check(field, limit, "too_long", "{field} is {length} characters; the limit is {limit}" + where)

    def check(value: str) -> str:
        if "\x00" in value:
            raise PydanticCustomError("nul_character", "{field} holds a NUL character (\\u0000), which cannot be stored",
                                      {"field": field})
        return too_long(value)

    return check


def _optional(field: str, limit: int, what: str):
    return Annotated[
        Annotated[str, AfterValidator(_checked(field, limit))] | None,
        Field(None, description=f"{what}; at most {limit} characters",
              json_schema_extra={"maxLength": limit, "pattern": NO_NUL}),
    ]


Speaker = _optional("speaker", NAME_LIMIT, "who said it, as the article names them")
SpeakerRole = _optional("speaker_role", NAME_LIMIT, "their title or role")
ModelVersion = _optional("model_version", NAME_LIMIT, "the version of the model that gave it")
Note = _optional("note", NOTE_LIMIT, "why, for the next reader")


def request_model(max_text_chars: int) -> type[BaseModel]:
    class CorrectionRequest(BaseModel):
        """The stance a reporter says a quote takes, with what the model had said."""

        model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE, {"text": EXAMPLE_QUOTE, "label": "oppose"}]})
        text: Annotated[
            str,
            AfterValidator(_checked("text", max_text_chars, "STANCE_MAX_TEXT_CHARS")),
            AfterValidator(not_blank),
            Field(description=f"the quote; at most {max_text_chars} characters, not all white space",
                  json_schema_extra={"minLength": 1, "maxLength": max_text_chars, "pattern": NOT_BLANK_NO_NUL}),
        ]
        label: Stance = Field(description="the stance the quote takes")
        speaker: Speaker
        speaker_role: SpeakerRole
        predicted: Stance | None = Field(None, description="the stance the model had given")
        model_version: ModelVersion
        note: Note

    return CorrectionRequest


class StoredCorrection(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": "17", **EXAMPLE, "created_at": "2026-12-06T21:30:00.123456+00:00", "key_name": "key-3f9a1c0b2d4e"}
    ]})
    id: str
    text: str
    label: Stance
    speaker: str | None
    speaker_role: str | None
    predicted: Stance | None
    model_version: str | None
    note: str | None
    created_at: str = Field(description="when it was stored, ISO 8601 in UTC")
    key_name: str | None = Field(description="a fingerprint of the API key that sent it (never the key); null without keys")


class CorrectionList(BaseModel):
    corrections: list[StoredCorrection] = Field(description="newest first")


class ListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt parameter is refused, not ignored
    limit: int = Field(100, ge=1, le=1000, description="how many, newest first")


UNAVAILABLE = {503: {"model": ErrorBody, "description": "the corrections database is unavailable; nothing was stored"}}


def key_name(key: str | None) -> str | None:
    """A short, non-reversible label of an API key: which key sent a correction, not the key."""
    if not key:
        return None
    return "key-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def build(service: ScoringService, settings: Settings, store: CorrectionStore | None = None) -> APIRouter:
    store = store or CorrectionStore()
    router = APIRouter(prefix="/v1/corrections", tags=["corrections"])
    CorrectionRequest = request_model(settings.max_text_chars)
    counted = Counter("stance_corrections", "Corrections received, by outcome", ["outcome"],
                      registry=service.metrics.registry)

    def unavailable(error: StoreUnavailable) -> JSONResponse:
        counted.labels("store_unavailable").inc()
        return error_response(503, "store_unavailable", str(error))

    @router.post("", status_code=201, response_model=StoredCorrection, responses={**ERRORS, **UNAVAILABLE},
                 summary="Store a reporter's correction of a stance")
    async def add_correction(body: CorrectionRequest, request: Request):
        fields = body.model_dump(exclude={"text", "label"})
        if settings.auth_enabled:  # KeyCheck has let only valid keys through
            fields["key_name"] = key_name(request.headers.get(HEADER))
        try:
            stored = await run_in_threadpool(store.add, body.text, body.label, **fields)
        except StoreUnavailable as error:
            return unavailable(error)
        counted.labels("stored").inc()
        return stored.to_dict()

    @router.get("", response_model=CorrectionList, responses={422: ERRORS[422], **UNAVAILABLE},
                summary="The newest corrections")
    async def list_corrections(query: Annotated[ListQuery, Query()]):
        try:
            items = await run_in_threadpool(store.newest, query.limit)
        except StoreUnavailable as error:
            return unavailable(error)
        return {"corrections": [item.to_dict() for item in items]}

    return router
