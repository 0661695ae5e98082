# The project's image for docker-compose.yml: Python 3.11, the pinned requirements.lock
# (Airflow 3.3.2 + the Celery provider, the ETL's libraries), the package itself, and the
# Debian packages the parsers need. Nothing is installed when a container starts.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    AIRFLOW_HOME=/opt/airflow \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# System packages from the project's one list, minus the services compose runs as images.
COPY scripts/system-packages.txt /tmp/system-packages.txt
RUN pkgs=$(sed -e 's/#.*//' /tmp/system-packages.txt | tr -s ' \n' ' ' \
           | tr ' ' '\n' | grep -vxE 'redis-server|postgresql|' | tr '\n' ' ') \
 && apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tini $pkgs \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 50000 --gid 0 --home-dir /opt/airflow --create-home airflow

# Dependencies first (cached while only the code changes), exactly as locked.
COPY requirements.lock /opt/fzzf/requirements.lock
RUN python -m venv /opt/venv \
 && pip install -q "uv==0.13.9" \
 && uv pip install -q --python /opt/venv/bin/python -r /opt/fzzf/requirements.lock

COPY pyproject.toml README.md /opt/fzzf/
COPY etl /opt/fzzf/etl
COPY demo_portal /opt/fzzf/demo_portal
COPY dags /opt/fzzf/dags
COPY sql /opt/fzzf/sql
COPY expectations /opt/fzzf/expectations
RUN uv pip install -q --python /opt/venv/bin/python --no-deps /opt/fzzf \
 && python -m compileall -q -j 0 /opt/venv/lib /opt/fzzf >/dev/null \
 && mkdir -p /opt/airflow/logs /opt/airflow/config /opt/fzzf-data /opt/fzzf-warehouse \
 && chown -R 50000:0 /opt/airflow /opt/fzzf-data /opt/fzzf-warehouse

WORKDIR /opt/fzzf
# sql/ and expectations/ are read from the checkout layout
ENV ETL_SQL_DIR=/opt/fzzf/sql \
    ETL_SUITE=/opt/fzzf/expectations/facts.json
USER 50000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["airflow", "version"]
