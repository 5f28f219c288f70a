"""docker-compose.yml describes production: Varnish over two web instances, the tasks worker, the scheduler,
PostgreSQL, Redis and MinIO, each long-running service with a healthcheck. `verity.py stack` runs the same
shape as processes (tests/stack/ try it over HTTP)."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
WEB_INSTANCES = ("web-1", "web-2")


def load_compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


def services():
    return load_compose()["services"]


def test_compose_file_names_the_production_services():
    assert {"varnish", *WEB_INSTANCES, "tasks", "scheduler", "postgres", "redis", "minio"} <= set(services())


def test_every_long_running_service_has_a_healthcheck():
    for name, service in services().items():
        if service.get("restart") == "no":
            continue  # one-shot setup (migrations, the bucket)
        assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


def test_the_web_instances_are_alike_and_run_gunicorn_with_the_shipped_config_after_migrations():
    web_1, web_2 = (services()[name] for name in WEB_INSTANCES)
    assert web_1 == web_2
    assert web_1["command"] == "gunicorn -c deploy/gunicorn.conf.py cms.wsgi:application"
    assert web_1["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert "migrate" in services()["migrate"]["command"]
    assert "/healthz" in " ".join(web_1["healthcheck"]["test"])


def test_varnish_runs_the_shipped_vcl_in_front_of_both_web_instances():
    varnish = services()["varnish"]
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in varnish["volumes"]}
    assert mounts["/etc/varnish/default.vcl"] == "./deploy/varnish/default.vcl"
    assert mounts["/etc/varnish/backends.vcl"] == "./deploy/varnish/backends.compose.vcl"
    backends = (ROOT / "deploy/varnish/backends.compose.vcl").read_text()
    for name in WEB_INSTANCES:
        assert f'.host = "{name}"' in backends
        assert varnish["depends_on"][name] == {"condition": "service_healthy"}


def test_media_lives_in_the_bucket_and_is_read_through_the_edge():
    environment = services()["web-1"]["environment"]
    assert environment["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert environment["AWS_STORAGE_BUCKET_NAME"] in services()["minio-bucket"]["entrypoint"]
    assert environment["FRONTEND_CACHE_PURGE_URL"] == "http://varnish:80"
    assert any(volume.startswith("media:") for volume in services()["minio"]["volumes"])


def test_data_lives_in_named_volumes():
    compose = load_compose()
    assert {"postgres-data", "media"} <= set(compose["volumes"])
    assert any(volume.startswith("postgres-data:") for volume in services()["postgres"]["volumes"])


def test_web_takes_its_database_and_cache_from_the_environment():
    environment = services()["web-1"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"].startswith("redis://redis:")


def test_the_scheduler_and_the_tasks_worker_share_the_web_environment():
    web_environment = services()["web-1"]["environment"]
    scheduler, tasks = services()["scheduler"], services()["tasks"]
    assert "manage.py run_scheduler --heartbeat /tmp/scheduler-heartbeat" in scheduler["command"]
    assert "/tmp/scheduler-heartbeat" in " ".join(scheduler["healthcheck"]["test"])
    assert "manage.py db_worker" in tasks["command"]
    assert scheduler["environment"] == tasks["environment"] == web_environment
