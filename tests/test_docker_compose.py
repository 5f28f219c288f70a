"""docker-compose.yml describes production: web, PostgreSQL and Redis, each with a healthcheck."""

from pathlib import Path

import yaml

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "docker-compose.yml"


def load_compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


def test_compose_file_names_the_production_services():
    services = load_compose()["services"]
    assert {"web", "worker", "postgres", "redis"} <= set(services)


def test_every_service_has_a_healthcheck():
    for name, service in load_compose()["services"].items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_web_runs_gunicorn_after_migrating_and_waits_for_healthy_dependencies():
    web = load_compose()["services"]["web"]
    assert "migrate" in web["command"] and "gunicorn" in web["command"]
    assert web["command"].index("migrate") < web["command"].index("gunicorn")
    assert web["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


def test_data_lives_in_named_volumes():
    compose = load_compose()
    assert {"postgres-data", "media"} <= set(compose["volumes"])
    assert any(volume.startswith("postgres-data:") for volume in compose["services"]["postgres"]["volumes"])
    assert any(volume.startswith("media:") for volume in compose["services"]["web"]["volumes"])


def test_web_takes_its_database_and_cache_from_the_environment():
    environment = load_compose()["services"]["web"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"].startswith("redis://redis:")


def test_the_worker_runs_scheduled_publishing_every_minute():
    worker = load_compose()["services"]["worker"]
    assert "manage.py publish_scheduled" in worker["command"] and "sleep 60" in worker["command"]
    assert worker["environment"] == load_compose()["services"]["web"]["environment"]
    # Webhook deliveries that are due go out every minute; the heartbeat follows them.
    command = worker["command"]
    assert command.index("manage.py deliver_webhooks") < command.index("touch /tmp/worker-heartbeat")
    assert "manage.py send_review_due_webhooks" in command


def test_background_tasks_run_in_their_own_service():
    tasks = load_compose()["services"]["tasks"]
    assert "manage.py db_worker" in tasks["command"]
    assert tasks["environment"] == load_compose()["services"]["web"]["environment"]
