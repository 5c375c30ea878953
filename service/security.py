"""API keys: `X-API-Key` checked against `STANCE_API_KEYS` in constant time."""

import hmac

from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyHeader

HEADER = "X-API-Key"
_scheme = APIKeyHeader(name=HEADER, auto_error=False, description="one of the keys in STANCE_API_KEYS")


def key_matches(given: str, keys: tuple[bytes, ...]) -> bool:
    """True when `given` is one of `keys`; every key is compared, so timing tells nothing."""
    candidate = given.encode("utf-8", "surrogateescape")
    matched = False
    for key in keys:
        matched |= hmac.compare_digest(candidate, key)
    return matched


async def require_api_key(request: Request, api_key: str | None = Security(_scheme)) -> None:
    keys: tuple[bytes, ...] = request.app.state.api_keys
    if not api_key:
        raise HTTPException(401, f"missing {HEADER} header")
    if not key_matches(api_key, keys):
        raise HTTPException(401, f"the {HEADER} header does not hold a valid key")
