"""The floor of the stack for the service benchmark: FastAPI + uvicorn parsing the same bodies.

Each route validates the request body with a pydantic model of the same shape as the
service's and returns a constant, so the difference to the service is the service's own work.
"""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Text(BaseModel):
    text: str


class Item(BaseModel):
    id: str | None = None
    text: str


class Batch(BaseModel):
    items: list[Item]


@app.post("/bare/score")
async def bare_score(body: Text) -> dict:
    return {"stance": "neutral", "confidence": 1.0}


@app.post("/bare/batch")
async def bare_batch(body: Batch) -> dict:
    return {"results": [], "model_version": "bare"}
