"""Request and response bodies of the HTTP API, with their limits and documentation examples.

The request models carry the configured limits (text length, batch size), so they are made
by `request_models(settings)` when the app is built; the response models are fixed.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from quote_stance.model.context import CONTEXT_LIMIT
from quote_stance.service.settings import Settings

Stance = Literal["support", "oppose", "neutral"]

EXAMPLE_QUOTE = (
    "We will not let Washington bully our city into doing its immigration enforcement for it; "
    "we will see them in court."
)
EXAMPLE_PROBABILITIES = {"support": 0.04, "oppose": 0.91, "neutral": 0.05}
EXAMPLE_VERSION = "stance-20261127-b49109d5"

# A text must hold a character that is not white space (what `str.isspace` calls white space).
# The same class is the schema's `pattern`, so what the schema accepts the service accepts.
NOT_BLANK = r"[^\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_NOT_BLANK = re.compile(NOT_BLANK)
# JSON may carry half of a UTF-16 pair ("\ud800"), as a browser's text cut mid-emoji does; UTF-8
# cannot, so an answer that echoes it (an id, a quote) could not be written. It is read as
# U+FFFD, as a UTF-8 decoder reads a bad byte: one character for one, so offsets do not move.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(value: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", value) if _LONE_SURROGATE.search(value) else value


def length_check(field: str, limit: int, code: str, message: str) -> Callable[[str], str]:
    """A validator: the text made well formed, then refused with `code` if over `limit` characters.

    `message` is the error's template; it may name {field}, {length} and {limit}. Clients see its
    text and `code`, so each caller keeps its own wording.
    """

    def check(value: str) -> str:
        value = well_formed(value)
        if len(value) > limit:
            raise PydanticCustomError(code, message, {"field": field, "length": len(value), "limit": limit})
        return value

    return check


def not_blank(text: str) -> str:
    if not _NOT_BLANK.search(text):
        raise PydanticCustomError("text_empty", "text is empty")
    return text


def _context_field(what: str):
    return Field(
        None,
        description=f"{what}, at most {CONTEXT_LIMIT} characters; absent, null or blank = unknown",
        json_schema_extra={"maxLength": CONTEXT_LIMIT},
    )


def _context(field: str):
    check = length_check(field, CONTEXT_LIMIT, "context_too_long", "{length} characters; the limit is {limit}")
    return Annotated[str, AfterValidator(check)] | None


# The speaker's name and role; both optional, both used in scoring when given.
SpeakerName = _context("speaker")
SpeakerRole = _context("speaker_role")


def _batch_check(limit: int):
    # Before item validation, so an oversized batch is refused without validating its items.
    def check(items: Any) -> Any:
        if isinstance(items, list) and len(items) > limit:
            raise PydanticCustomError(
                "batch_too_large",
                "the batch has {count} items; the limit is {limit} (STANCE_MAX_BATCH)",
                {"count": len(items), "limit": limit},
            )
        return items

    return check


@dataclass(frozen=True)
class RequestModels:
    score: type[BaseModel]
    batch: type[BaseModel]
    extract: type[BaseModel]


def request_models(settings: Settings) -> RequestModels:
    """The request bodies, with the limits of `settings` built in (and shown in the docs)."""
    limit = settings.max_text_chars
    Text = Annotated[
        str,
        # Blank before too long: a long run of spaces is reported as empty.
        AfterValidator(not_blank),
        AfterValidator(length_check(
            "text", limit, "text_too_long", "{field} is {length} characters; the limit is {limit} (STANCE_MAX_TEXT_CHARS)"
        )),
        Field(
            description=f"the text; at most {limit} characters, not all white space",
            json_schema_extra={"minLength": 1, "maxLength": limit, "pattern": NOT_BLANK},
        ),
    ]

    class ScoreRequest(BaseModel):
        """One quote to score."""

        model_config = ConfigDict(
            json_schema_extra={
                "examples": [
                    {"text": EXAMPLE_QUOTE},
                    {"text": EXAMPLE_QUOTE, "speaker": "Dana Whitfield", "speaker_role": "Mayor", "explain": True},
                ]
            }
        )
        text: Text
        speaker: SpeakerName = _context_field("the speaker's name")
        speaker_role: SpeakerRole = _context_field("the speaker's title or role, e.g. 'county sheriff'")
        # strict: the schema says boolean, so 0, 1 or "yes" are refused rather than guessed at
        explain: bool = Field(False, strict=True, description="also return the terms that pushed the decision most")

    class BatchItem(BaseModel):
        id: Annotated[str, AfterValidator(well_formed)] | None = Field(
            None, description="the caller's identifier, echoed in the result"
        )
        text: Text
        speaker: SpeakerName = _context_field("the speaker's name")
        speaker_role: SpeakerRole = _context_field("the speaker's title or role, e.g. 'county sheriff'")

    class BatchRequest(BaseModel):
        """Quotes to score together; results come back in the same order."""

        model_config = ConfigDict(
            json_schema_extra={
                "examples": [
                    {
                        "items": [
                            {"id": "q1", "text": EXAMPLE_QUOTE, "speaker_role": "Mayor"},
                            {"id": "q2", "text": "The department is reviewing the guidance and will respond by Friday."},
                        ]
                    }
                ]
            }
        )
        items: Annotated[
            list[BatchItem],
            BeforeValidator(_batch_check(settings.max_batch)),
            Field(
                description=f"at most {settings.max_batch} items",
                json_schema_extra={"maxItems": settings.max_batch},
            ),
        ]

    class ExtractRequest(BaseModel):
        """A news article in plain text."""

        model_config = ConfigDict(
            json_schema_extra={
                "examples": [
                    {
                        "text": 'Mayor Dana Whitfield said the city would sue. "We will see them in court," '
                        "Whitfield said on Tuesday."
                    }
                ]
            }
        )
        text: Text

    return RequestModels(score=ScoreRequest, batch=BatchRequest, extract=ExtractRequest)


class Probabilities(BaseModel):
    support: float
    oppose: float
    neutral: float


class Term(BaseModel):
    term: str = Field(
        description="a feature of the model: a stemmed word or word pair, a cue group, "
        "or the context (`role:` words, `kind:` of office, `speaker:` name)"
    )
    weight: float = Field(description="coefficient for the predicted label times the feature's value")


class ScoreResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "stance": "oppose",
                    "confidence": 0.91,
                    "probabilities": EXAMPLE_PROBABILITIES,
                    "model_version": EXAMPLE_VERSION,
                },
                {
                    "stance": "oppose",
                    "confidence": 0.91,
                    "probabilities": EXAMPLE_PROBABILITIES,
                    "model_version": EXAMPLE_VERSION,
                    "explanation": [{"term": "cue:oppose", "weight": 1.42}, {"term": "court", "weight": 0.31}],
                },
            ]
        }
    )
    stance: Stance
    confidence: float
    probabilities: Probabilities
    model_version: str
    explanation: list[Term] | None = Field(
        None, description="only when `explain` was true: terms by absolute weight, largest first"
    )


class BatchResult(BaseModel):
    id: str | None
    stance: Stance
    confidence: float
    probabilities: Probabilities


class BatchResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "results": [
                        {"id": "q1", "stance": "oppose", "confidence": 0.91, "probabilities": EXAMPLE_PROBABILITIES},
                        {
                            "id": "q2",
                            "stance": "neutral",
                            "confidence": 0.77,
                            "probabilities": {"support": 0.1, "oppose": 0.13, "neutral": 0.77},
                        },
                    ],
                    "model_version": EXAMPLE_VERSION,
                }
            ]
        }
    )
    results: list[BatchResult]
    model_version: str


class Quote(BaseModel):
    # The quote finder may add fields; they pass through.
    model_config = ConfigDict(extra="allow")
    quote: str
    speaker: str | None = Field(description="the name as written in the article, or null")
    speaker_role: str | None = Field(
        None, description='the title or role the article gives the speaker ("Newark Mayor", "a city council member"), or null'
    )
    start: int = Field(description="offset of the quoted words' first character in the submitted text")
    end: int = Field(description="offset just past the quoted words' last character")
    stance: Stance
    confidence: float
    probabilities: Probabilities
    speaker_role: str | None = Field(None, description="the speaker's title or role as the article gives it, or null")
    speaker_full: str | None = Field(None, description="the fullest form of the speaker's name in the article")
    cue: str | None = Field(None, description="the reporting verb or mark that attributes the quote")


class ExtractResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "quotes": [
                        {
                            "quote": "We will see them in court,",
                            "speaker": "Whitfield",
                            "speaker_role": "Mayor",
                            "start": 47,
                            "end": 73,
                            "stance": "oppose",
                            "confidence": 0.88,
                            "probabilities": {"support": 0.05, "oppose": 0.88, "neutral": 0.07},
                            "speaker_full": "Dana Whitfield",
                            "cue": "said",
                        }
                    ],
                    "model_version": EXAMPLE_VERSION,
                }
            ]
        }
    )
    quotes: list[Quote]
    model_version: str


class Health(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})
    status: Literal["ok"]


class ModelInfo(BaseModel):
    """The model's metadata as written when it was trained; more fields than these pass through."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "version": EXAMPLE_VERSION,
                    "labels": ["support", "oppose", "neutral"],
                    "trained_at": "2026-11-27T22:32:04+00:00",
                    "metrics": {"cross_validation": {"all_rows": {"accuracy": 0.67, "macro_f1": 0.66}}},
                }
            ]
        },
    )
    version: str
    labels: list[str]
    trained_at: str | None
    metrics: dict[str, Any]


class ReloadResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "reloaded", "model_version": EXAMPLE_VERSION, "previous_version": "stance-20261120-0c1d2e3f"}
            ]
        }
    )
    status: Literal["reloaded", "restarting_workers"]
    model_version: str = Field(description="the version now serving (or about to, when workers restart)")
    previous_version: str


class ErrorBody(BaseModel):
    """Every error answer has this shape."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": "invalid_request",
                    "message": "body.text: text is 120000 characters; the limit is 100000 (STANCE_MAX_TEXT_CHARS)",
                    "details": [{"field": "body.text", "problem": "text is 120000 characters; the limit is 100000 (STANCE_MAX_TEXT_CHARS)", "type": "text_too_long"}],
                }
            ]
        }
    )
    error: str = Field(description="a short machine-readable code")
    message: str = Field(description="one line that says what was wrong")
    details: list[dict[str, Any]] | None = None
