"""docker-compose.yml without a Docker engine: the file parses (with .env.example's values
interpolated as compose does), every service's command exists in what the image installs
(this venv is built from the same requirements.lock), and every setting it passes is one
the code or Airflow actually reads."""
from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from etl.airflow_env import COMPOSE_COMMANDS, airflow_exe, read_env_file
from etl.settings import ROOT

COMPOSE = ROOT / "docker-compose.yml"
_VAR = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR:?error}; $$ is a literal $."""
    def sub(m: re.Match) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3)
        if env.get(name):
            return env[name]
        if op == "-":
            return arg
        raise KeyError(f"{name} is required ({arg or 'no default'})")
    return _VAR.sub(sub, text.replace("$$", "\0")).replace("\0", "$")


@pytest.fixture(scope="module")
def example_env() -> dict[str, str]:
    return read_env_file(ROOT / ".env.example")


@pytest.fixture(scope="module")
def compose(example_env) -> dict:
    return yaml.safe_load(interpolate(COMPOSE.read_text(encoding="utf-8"), example_env))


def _project_services(compose: dict) -> dict[str, dict]:
    return {n: s for n, s in compose["services"].items() if s.get("build")}


def test_every_required_variable_is_in_env_example():
    text = COMPOSE.read_text(encoding="utf-8")
    with pytest.raises(KeyError):                       # secrets have no default
        interpolate(text, {})
    used = {m.group(1) for m in _VAR.finditer(text.replace("$$", ""))}
    missing = used - set(read_env_file(ROOT / ".env.example"))
    assert not missing, f"variables docker-compose.yml uses but .env.example does not set: {missing}"


def test_the_services_of_a_celery_deployment(compose):
    services = compose["services"]
    assert {"postgres", "redis", "airflow-init", "airflow-scheduler", "airflow-dag-processor",
            "airflow-apiserver", "airflow-triggerer", "airflow-worker", "demo-portal"} <= set(services)
    for name, s in services.items():
        assert "healthcheck" in s or name in ("airflow-init", "demo-night"), f"{name} has no health check"
    worker = services["airflow-worker"]
    assert "container_name" not in worker and "ports" not in worker      # scalable
    assert int(worker["deploy"]["replicas"]) >= 2
    env = worker["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    # workers reach the API server by its service name and port
    api = services["airflow-apiserver"]
    port = api["ports"][0].split(":")[-1]
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == f"http://airflow-apiserver:{port}/execution/"
    assert port in api["command"]
    assert "redis" in env["AIRFLOW__CELERY__BROKER_URL"] and "@postgres/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    # one shared data folder and warehouse for every Airflow service, and no install at start
    for name, s in _project_services(compose).items():
        mounts = {v.split(":")[1] for v in s["volumes"]}
        assert {s["environment"]["ETL_DATA_DIR"], str(Path(s["environment"]["ETL_WAREHOUSE"]).parent)} <= mounts, name
        assert "_PIP_ADDITIONAL_REQUIREMENTS" not in s["environment"], name
    assert "service_completed_successfully" == \
        services["airflow-scheduler"]["depends_on"]["airflow-init"]["condition"]


def test_the_image_installs_the_lock():
    docker = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"-r\s+\S*requirements\.lock", docker)
    for src in re.findall(r"^COPY\s+(.+?)\s+\S+$", docker, re.M):
        for path in src.split():
            assert (ROOT / path).exists(), f"Dockerfile copies {path}, which does not exist"


def _airflow_help(args: list[str]) -> str:
    sub = []
    for a in args:
        if a.startswith("-"):
            break
        sub.append(a)
    p = subprocess.run([airflow_exe(), *sub, "--help"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, f"`airflow {' '.join(sub)}` does not exist: {p.stderr[-500:]}"
    return p.stdout


def _check_command(argv: list[str]) -> None:
    if argv[0] == "airflow":
        text = _airflow_help(argv[1:])
        for opt in (a.split("=")[0] for a in argv[1:] if a.startswith("--")):
            assert opt in text, f"airflow {argv[1:]}: no option {opt}"
        if "--job-type" in argv:
            assert argv[argv.index("--job-type") + 1] in text
    elif argv[0] == "python" and argv[1] == "-m":
        module = argv[2]
        assert importlib.util.find_spec(module), f"no module {module}"
        if module == "etl.airflow_env":
            assert argv[3] in COMPOSE_COMMANDS
        else:
            p = subprocess.run([sys.executable, "-m", module, argv[3], "--help"], capture_output=True,
                               text=True, timeout=120, cwd=ROOT)
            assert p.returncode == 0, p.stderr
            for opt in (a for a in argv[4:] if a.startswith("--")):
                assert opt in p.stdout, f"{module} {argv[3]}: no option {opt}"
    elif argv[0] == "python" and argv[1] == "-c":
        compile(argv[2], "<healthcheck>", "exec")
    elif argv[0] == "celery":
        app = argv[argv.index("--app") + 1]
        assert importlib.util.find_spec(app.rsplit(".", 1)[0]), app
        assert shutil.which("celery", path=str(Path(sys.executable).parent))
    else:
        raise AssertionError(f"unknown command {argv}")


def test_every_command_exists_in_the_image(compose):
    checked = 0
    for name, s in _project_services(compose).items():
        commands = [s["command"]]
        test = s.get("healthcheck", {}).get("test")
        if test and test[0] == "CMD":
            commands.append(test[1:])
        elif test and test[0] == "CMD-SHELL":
            commands.append(shlex.split(test[1].replace("$HOSTNAME", "host").replace("${HOSTNAME}", "host")))
        for argv in commands:
            _check_command(argv)
            checked += 1
    assert checked >= 12


def _read_by_code(name: str) -> bool:
    needle = re.compile(rf"[\"']{name}[\"']")
    return any(needle.search(p.read_text(encoding="utf-8"))
               for folder in ("etl", "dags", "demo_portal") for p in (ROOT / folder).rglob("*.py"))


def test_every_setting_passed_is_read(compose):
    from airflow.configuration import conf
    known = conf.configuration_description           # core + providers (celery) options
    for name, s in _project_services(compose).items():
        for key in s["environment"]:
            if key.startswith("ETL_"):
                assert _read_by_code(key), f"{name}: {key} is passed but no code reads it"
            elif key.startswith("AIRFLOW__"):
                section, option = key.removeprefix("AIRFLOW__").lower().split("__", 1)
                assert option in known.get(section, {}).get("options", {}), \
                    f"{name}: {key} is not an Airflow setting"


def test_compose_v1_validates_if_installed(tmp_path, example_env):
    exe = shutil.which("docker-compose")
    if not exe:
        pytest.skip("docker-compose (v1) not installed; the checks above parse the file themselves")
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in example_env.items()))
    p = subprocess.run([exe, "--env-file", str(env_file), "-f", str(COMPOSE), "config", "-q"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
