"""The backup and restore drill (docs/operations.md): back up, restore beside the original, compare, clean up.

    . .stack/env && .venv/bin/python deploy/backup_drill.py            # against `verity.py stack up`
    .venv/bin/python deploy/backup_drill.py --json                     # the result as JSON (tests/stack/)
    .venv/bin/python deploy/backup_drill.py --keep-backup DIR          # and keep the backup in DIR

With the deployment's settings in the environment (DATABASE_URL on PostgreSQL, the media bucket in
AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL), it does what docs/operations.md tells an operator to:

1. backs up: `pg_dump -Fc` of the database, and every object of the media bucket with its content type
   and cache headers (what `aws s3 sync` copies);
2. restores: a fresh database (`verity_drill_<random>`) filled by `pg_restore --clean --if-exists
   --no-owner`, and a second bucket (`<bucket>-drill-<random>`) filled with the copied objects;
3. compares: every URL of a list (the home page, the seed post, the blog index, its feed, the sitemap
   index and its sections, the posts API list, detail and by-slug) is rendered by Verity itself, in a
   process of its own with Django's test client, once from the original database and bucket and once from
   the restored ones (read-only: the restored site must serve everything without writing a row). Status,
   Content-Type and body must be byte-identical; so must every object of the two buckets;
4. drops the restored database and deletes the second bucket, whatever happened.

Neither render uses Redis (REDIS_URL is dropped, the page cache is off), so each page really comes from
its database, not from a cache the original filled. Exit status 0 when everything was reproduced.
"""

import argparse
import hashlib
import json
import mimetypes
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SEED_POST_SLUG = "what-it-means-if-you-cry-after-sex"
# The pages and API answers compared; the sitemap's sections and the seed post's API detail are added to these.
URLS = [
    "/",
    f"/blog/{SEED_POST_SLUG}/",
    "/blog/",
    "/blog/feed/",
    "/sitemap.xml",
    "/api/v3/posts/",
    f"/api/v3/posts/by-slug/{SEED_POST_SLUG}/",
]
# What S3 keeps beside an object's bytes that readers get back, and `aws s3 sync` carries over.
OBJECT_HEADERS = ("ContentType", "CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage")


def postgres_bin(name):
    """The newest client of the machine (pg_dump must not be older than the server)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parent.parent.name))
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if not found:
        sys.exit(f"backup drill: PostgreSQL's {name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def s3_client():
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_S3_REGION_NAME", "us-east-1"),
    )


# --- 1. back up ------------------------------------------------------------------------------------------


def dump_database(database_url, path):
    subprocess.run([postgres_bin("pg_dump"), "-Fc", "--no-owner", "-f", str(path), "-d", database_url], check=True)


def copy_bucket_down(s3, bucket, folder):
    """Every object, and what S3 answers with it, to files under `folder` and a manifest."""
    manifest = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            key = item["Key"]
            answer = s3.get_object(Bucket=bucket, Key=key)
            target = folder / "objects" / key
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(answer["Body"].read())
            manifest[key] = {name: answer[name] for name in OBJECT_HEADERS if answer.get(name)}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


# --- 2. restore ------------------------------------------------------------------------------------------


def psql(database_url, *statements):
    command = [postgres_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database_url]
    for statement in statements:
        command += ["-c", statement]
    subprocess.run(command, check=True, capture_output=True, text=True)


def restore_database(server_url, name, dump):
    psql(with_database(server_url, "postgres"), f'CREATE DATABASE "{name}"')
    restored_url = with_database(server_url, name)
    subprocess.run(
        [postgres_bin("pg_restore"), "--clean", "--if-exists", "--no-owner", "--exit-on-error", "-d", restored_url]
        + [str(dump)],
        check=True,
    )
    return restored_url


def drop_database(server_url, name):
    psql(with_database(server_url, "postgres"), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_bucket_up(s3, bucket, folder, manifest):
    s3.create_bucket(Bucket=bucket)
    for key, headers in manifest.items():
        body = (folder / "objects" / key).read_bytes()
        if "ContentType" not in headers:
            headers = {**headers, "ContentType": mimetypes.guess_type(key)[0] or "binary/octet-stream"}
        s3.put_object(Bucket=bucket, Key=key, Body=body, **headers)


def delete_bucket(s3, bucket):
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": keys})
        s3.delete_bucket(Bucket=bucket)
    except s3.exceptions.NoSuchBucket:
        pass


def bucket_fingerprint(s3, bucket):
    """key -> sha256 of the bytes and the headers S3 answers with them."""
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            answer = s3.get_object(Bucket=bucket, Key=item["Key"])
            headers = {name: answer[name] for name in OBJECT_HEADERS if answer.get(name)}
            found[item["Key"]] = {"sha256": hashlib.sha256(answer["Body"].read()).hexdigest(), **headers}
    return found


# --- 3. compare ------------------------------------------------------------------------------------------


def render(database_url, bucket, *, read_only):
    """Every URL of the list as Verity serves it from this database and bucket, in a process of its own."""
    if read_only:
        separator = "&" if "?" in database_url else "?"
        database_url += separator + "options=" + quote("-c default_transaction_read_only=on")
    env = {**os.environ, "DATABASE_URL": database_url, "AWS_STORAGE_BUCKET_NAME": bucket}
    env.pop("REDIS_URL", None)  # no shared cache: every page from its own database
    env.update(VERITY_PAGE_CACHE="false", DATABASE_CONN_MAX_AGE="0", SENTRY_DSN="")
    completed = subprocess.run(
        [sys.executable, __file__, "--render"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if completed.returncode:
        sys.exit(f"backup drill: rendering from {bucket} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def render_here():
    """--render: in this process, with the settings of the environment."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc)
    urls = list(URLS)
    answers = {}

    def get(url):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        answers[url] = {
            "status": response.status_code,
            "content_type": response.get("Content-Type", ""),
            "bytes": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
        }
        return response, body

    for url in urls:
        response, body = get(url)
        if url == "/sitemap.xml" and response.status_code == 200:
            import xml.etree.ElementTree as ET  # noqa: S405 - our own sitemap

            for loc in ET.fromstring(body).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):  # noqa: S314
                get(urlsplit(loc.text).path)
        if url.startswith("/api/v3/posts/by-slug/") and response.status_code == 200:
            get(f"/api/v3/posts/{json.loads(body)['id']}/")
    print(json.dumps(answers))


# --- the drill -------------------------------------------------------------------------------------------


def drill(keep_backup=None):
    database_url = os.environ.get("DATABASE_URL", "")
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not bucket:
        sys.exit("backup drill: needs DATABASE_URL on PostgreSQL and AWS_STORAGE_BUCKET_NAME (. .stack/env)")
    s3 = s3_client()
    suffix = secrets.token_hex(4)
    restored_name, restored_bucket = f"verity_drill_{suffix}", f"{bucket}-drill-{suffix}"
    folder = Path(keep_backup) if keep_backup else Path(tempfile.mkdtemp(prefix="verity-backup-"))
    folder.mkdir(parents=True, exist_ok=True)
    timings = {}
    started = time.monotonic()
    try:
        original = render(database_url, bucket, read_only=False)  # what the site serves now
        timings["render original"] = time.monotonic() - started

        mark = time.monotonic()
        dump_database(database_url, folder / "database.dump")
        manifest = copy_bucket_down(s3, bucket, folder / "media")
        timings["back up"] = time.monotonic() - mark

        mark = time.monotonic()
        restored_url = restore_database(database_url, restored_name, folder / "database.dump")
        copy_bucket_up(s3, restored_bucket, folder / "media", manifest)
        timings["restore"] = time.monotonic() - mark

        mark = time.monotonic()
        restored = render(restored_url, restored_bucket, read_only=True)
        original_objects, restored_objects = bucket_fingerprint(s3, bucket), bucket_fingerprint(s3, restored_bucket)
        timings["render restored and compare"] = time.monotonic() - mark
    finally:
        drop_database(database_url, restored_name)
        delete_bucket(s3, restored_bucket)
        if not keep_backup:
            shutil.rmtree(folder, ignore_errors=True)
    different_urls = sorted(url for url in original.keys() | restored.keys() if original.get(url) != restored.get(url))
    different_objects = sorted(
        key
        for key in original_objects.keys() | restored_objects.keys()
        if original_objects.get(key) != restored_objects.get(key)
    )
    return {
        "reproduced": not different_urls and not different_objects and bool(original) and bool(original_objects),
        "urls": {url: {"original": original.get(url), "restored": restored.get(url)} for url in sorted(original)},
        "different_urls": different_urls,
        "objects": len(original_objects),
        "different_objects": different_objects,
        "database_dump_bytes": (folder / "database.dump").stat().st_size if keep_backup else None,
        "restored_database": restored_name,
        "restored_bucket": restored_bucket,
        "seconds": {name: round(value, 2) for name, value in {**timings, "total": time.monotonic() - started}.items()},
    }


def report(result):
    for url, answers in result["urls"].items():
        same = "identical" if url not in result["different_urls"] else "DIFFERENT"
        original = answers["original"]
        print(f"  {same:9}  {original['status']}  {original['bytes']:>8} bytes  {url}")
    objects = result["objects"] - len(result["different_objects"])
    print(f"  media: {objects} of {result['objects']} objects identical in {result['restored_bucket']}")
    for key in result["different_objects"]:
        print(f"  DIFFERENT  media {key}")
    print("  seconds: " + ", ".join(f"{name} {value}" for name, value in result["seconds"].items()))
    verdict = "reproduced everything" if result["reproduced"] else "did NOT reproduce everything"
    print(f"backup drill: the restore {verdict}; {result['restored_database']} and the second bucket are gone.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--keep-backup", metavar="DIR", help="keep the dump and the media copy in DIR")
    parser.add_argument("--render", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render:
        return render_here()
    result = drill(args.keep_backup)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        report(result)
    sys.exit(0 if result["reproduced"] else 1)


if __name__ == "__main__":
    main()
