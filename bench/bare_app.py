"""The floor of the stack for the service benchmark: FastAPI + uvicorn parsing the same bodies.

Each route validates the request body with a pydantic model of the same shape as the
service's and returns a constant, so the difference to the service is the service's own work.

`/bare/score` is the bar's floor: an ordinary FastAPI route. `/bare/score-quick` is the
lower floor of /v1/score as the service serves it: the route answers from ASGI (`json.loads`,
the pydantic model, a constant), skipping FastAPI's per-request endpoint machinery as the
service's quick path does (service/routes/score.py), so that comparison shows what the
service itself costs.
"""

import json

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError

app = FastAPI()


class Text(BaseModel):
    text: str


class Item(BaseModel):
    id: str | None = None
    text: str


class Batch(BaseModel):
    items: list[Item]


ANSWER = b'{"stance":"neutral","confidence":1.0}'


class QuickRoute(APIRoute):
    async def handle(self, scope, receive, send) -> None:
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        try:
            Text.model_validate(json.loads(b"".join(chunks)))
        except (ValueError, ValidationError):
            await send({"type": "http.response.start", "status": 422, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-length", str(len(ANSWER)).encode()), (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": ANSWER})


@app.post("/bare/score")
async def bare_score(body: Text) -> dict:
    return {"stance": "neutral", "confidence": 1.0}


async def bare_score_quick(body: Text) -> dict:  # documents the route; QuickRoute answers
    return {"stance": "neutral", "confidence": 1.0}


app.router.add_api_route("/bare/score-quick", bare_score_quick, methods=["POST"], route_class_override=QuickRoute)


@app.post("/bare/batch")
async def bare_batch(body: Batch) -> dict:
    return {"results": [], "model_version": "bare"}
