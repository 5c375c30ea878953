"""Anchor (a) of the service benchmark: what a user would write by hand around the shipped model.

A plain FastAPI route that calls `load_model().predict_proba([text])` for each request (a
blocking call, so a plain `def` route: FastAPI runs it in its thread pool).
"""

from fastapi import FastAPI
from pydantic import BaseModel

from quote_stance import load_model

app = FastAPI()
model = load_model()


class Text(BaseModel):
    text: str


@app.post("/naive/score")
def naive_score(body: Text) -> dict:
    probabilities = model.predict_proba([body.text])[0]
    best = int(probabilities.argmax())
    return {
        "stance": model.labels[best],
        "confidence": float(probabilities[best]),
        "probabilities": dict(zip(model.labels, map(float, probabilities))),
        "model_version": model.version,
    }
