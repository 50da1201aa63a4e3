# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web ./web
RUN npm run build

FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 EXCHANGE_ENV=production
RUN useradd --create-home --uid 10001 exchange
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY exchange ./exchange
# Editable, so that the package finds alembic/, seed_data/ and web/ beside it in /app.
RUN pip install --no-cache-dir -e ".[exact]"
COPY alembic ./alembic
COPY seed_data ./seed_data
COPY web/templates ./web/templates
COPY --from=assets /build/web/static/dist ./web/static/dist
RUN mkdir -p /app/var && chown exchange /app/var
USER exchange
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["sh", "-c", "exchange serve --host 0.0.0.0 --port 8000 --workers ${EXCHANGE_WORKERS:-4}"]
