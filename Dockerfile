# The quote-stance HTTP service: `docker build -t quote-stance .` then
# `docker run -p 8000:8000 -e STANCE_API_KEYS=... quote-stance`.

# Build stage: the project's wheel, with the scorer's C part (model/_native_scorer.c) compiled.
# The compiler stays here; the image below gets the wheel only.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what building the wheel needs: the packages listed in pyproject.toml (the default model
# ships inside model/default/) and the README that pyproject names.
COPY pyproject.toml README.md ./
COPY model ./model
COPY training ./training
COPY service ./service
COPY cli ./cli
COPY batch ./batch
COPY data ./data
RUN python -m pip wheel --no-deps --wheel-dir wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY --from=build /src/wheels ./wheels
# The check runs outside /app and proves the installed scorer has its C part.
RUN python -m pip install --no-cache-dir wheels/*.whl \
    && rm -rf wheels \
    && cd / && python -c "import model._native_scorer"

RUN useradd --system --uid 10001 --user-group --no-create-home stance
USER stance

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/v1/health', timeout=4).status != 200)"]
CMD ["stance", "serve", "--host", "0.0.0.0", "--port", "8000"]
