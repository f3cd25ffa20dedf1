"""Test driver: runs templates/python/skene_runtime.run_loop_once from a JSON job on stdin and prints the
summary as one JSON line. Used by the Node integration tests (Python + TS runners on one database)."""
import json
import os
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'templates', 'python'))
import skene_runtime  # noqa: E402


def connect(url, driver='psycopg2'):
    """The runtime imports no driver: outside Django, the caller opens the connection with Debian's psycopg2 or
    psycopg 3 ('psycopg': server-side binding; 'psycopg-client': client-side binding, Django 4.2+'s default)."""
    def open_connection():
        if driver == 'psycopg2':
            import psycopg2
            return psycopg2.connect(url)
        import psycopg
        if driver == 'psycopg-client':
            return psycopg.connect(url, cursor_factory=psycopg.ClientCursor)
        return psycopg.connect(url)
    return open_connection


def main():
    job = json.load(sys.stdin)
    # Start together with another runner (Node boots slower than Python).
    time.sleep(max(0.0, job.get('startAt', 0) / 1000.0 - time.time()))
    if job.get('provider') == 'log':
        provider = skene_runtime.LogProvider(print_line=lambda line: sys.stderr.write(line + '\n'))
    else:
        provider = skene_runtime.ResendProvider(api_key=job['apiKey'], base_url=job['baseUrl'], timeout=job.get('timeoutS', 10))
    now = datetime.fromisoformat(job['now'].replace('Z', '+00:00')) if job.get('now') else None
    scheduled = datetime.fromisoformat(job['scheduledAt'].replace('Z', '+00:00')) if job.get('scheduledAt') else None
    summary = skene_runtime.run_loop_once(
        job['manifest'], connect(job['databaseUrl'], job.get('driver', 'psycopg2')), provider, secret=job.get('secret'), now=now, scheduled_at=scheduled,
        dry_run=job.get('dryRun', False), exclusive=job.get('exclusive', True), heartbeat=job.get('heartbeat', True),
        log=(lambda line: sys.stderr.write(line + '\n')) if job.get('verbose') else None,
    )
    sys.stdout.write(json.dumps(summary) + '\n')


if __name__ == '__main__':
    main()
