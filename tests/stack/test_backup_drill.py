"""The backup and restore drill (deploy/backup_drill.py, docs/operations.md) against the running stack: a
pg_dump and a copy of the bucket, restored into a fresh database and a second bucket, serve every page and
API answer of the list byte for byte as the original does, and the drill leaves nothing behind."""

import json
import os
import subprocess
import sys

import boto3

from .conftest import ROOT


def test_a_restored_backup_serves_every_page_and_api_answer_byte_for_byte_and_the_drill_cleans_up(stack):
    completed = subprocess.run(
        [sys.executable, "deploy/backup_drill.py", "--json"],
        cwd=ROOT,
        env={**os.environ, **stack.env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(completed.stdout)

    assert completed.returncode == 0 and result["reproduced"], completed.stdout + completed.stderr
    assert result["different_urls"] == [] and result["different_objects"] == []
    urls = result["urls"]
    expected = {
        "/",
        "/blog/what-it-means-if-you-cry-after-sex/",
        "/blog/",
        "/blog/feed/",
        "/sitemap.xml",
        "/api/v3/posts/",
        "/api/v3/posts/by-slug/what-it-means-if-you-cry-after-sex/",
    }
    assert expected <= set(urls)
    assert any(url.startswith("/sitemap-") for url in urls)  # the sitemap's sections
    assert any(url.startswith("/api/v3/posts/") and url.rstrip("/").split("/")[-1].isdigit() for url in urls)
    for url, answers in urls.items():
        assert answers["original"]["status"] == 200, url  # compared pages, not compared errors
        assert answers["original"] == answers["restored"], url
    assert result["objects"] >= 3  # the demo's images and their renditions
    assert result["seconds"]["total"] < 120

    # Nothing left behind: no restored database, no second bucket.
    databases = stack.python(
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SELECT datname FROM pg_database'); print([r[0] for r in c.fetchall()])"
    )
    assert result["restored_database"] not in databases
    s3 = boto3.client(
        "s3",
        endpoint_url=stack.env["AWS_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id=stack.env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=stack.env["AWS_SECRET_ACCESS_KEY"],
    )
    buckets = {bucket["Name"] for bucket in s3.list_buckets()["Buckets"]}
    assert result["restored_bucket"] not in buckets and stack.env["AWS_STORAGE_BUCKET_NAME"] in buckets
