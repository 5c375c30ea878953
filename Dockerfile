# The quote-stance HTTP service: `docker build -t quote-stance .` then
# `docker run -p 8000:8000 -e STANCE_API_KEYS=... quote-stance`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A C compiler for the scorer's compiled part (model/_native_scorer.c). Without one the install
# still succeeds and the scorer's Python paths serve, with the same answers, more slowly. It
# stays in the image (a few tens of MB); a build stage would leave it out.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Only what `pip install .` needs: the packages listed in pyproject.toml (the default model
# ships inside model/default/) and the README that pyproject names.
COPY pyproject.toml README.md ./
COPY model ./model
COPY training ./training
COPY service ./service
COPY cli ./cli
COPY batch ./batch
COPY data ./data
# The check runs outside /app, so that it imports the installed package, not the copied source.
RUN python -m pip install --no-cache-dir . \
    && cd / && python -c "import model._native_scorer"

RUN useradd --system --uid 10001 --user-group --no-create-home stance
USER stance

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/v1/health', timeout=4).status != 200)"]
CMD ["stance", "serve", "--host", "0.0.0.0", "--port", "8000"]
