# The quote-stance HTTP service: `docker build -t quote-stance .` then
# `docker run -p 8000:8000 -e STANCE_API_KEYS=... quote-stance`.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Only what the package needs: the folders pyproject.toml maps into quote_stance (the default
# model ships inside model/default/) and the README that pyproject names. Pure Python: no compiler.
COPY pyproject.toml README.md ./
COPY quote_stance ./quote_stance
COPY model ./model
COPY quotes ./quotes
COPY training ./training
COPY service ./service
COPY cli ./cli
COPY batch ./batch
COPY data ./data
COPY store ./store
# The check runs outside the source tree: the installed package loads its shipped model.
RUN python -m pip install --no-cache-dir . \
    && cd / && python -c "import quote_stance; quote_stance.load_model()"
WORKDIR /app

RUN useradd --system --uid 10001 --user-group --no-create-home stance \
    && mkdir -p /var/lib/quote-stance && chown stance:stance /var/lib/quote-stance
# Corrections (docs/corrections.md) go to a SQLite file on this volume, unless
# STANCE_DATABASE_URL names a PostgreSQL database.
ENV STANCE_DATA_DIR=/var/lib/quote-stance
VOLUME /var/lib/quote-stance
USER stance

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/v1/health', timeout=4).status != 200)"]
CMD ["stance", "serve", "--host", "0.0.0.0", "--port", "8000"]
