"""Skene loop runtime for Celery (vendored into your Django app by `skene init`).

The Python twin of the TypeScript engine in @skene/sdk (sdk/runtime/): the same ledger
DDL, the same idempotency keys, renderer, error classifier, backoff and tick rules,
checked by the same golden vectors. It guarantees that a user gets at most one email per
(loop, step, dormancy cycle), even when two beats, two workers or a TypeScript runner
run the same loop at once, and that a run killed at any point is finished by the next
run without a second email (same Idempotency-Key, byte-identical body).

Dependencies: the standard library only (HTTP through urllib.request); queries go
through Django's own connection (psycopg 2 or 3, whichever the project uses), or any
DB-API connection a caller passes. Python 3.9+.

    from .skene_runtime import run_loop_once, ResendProvider, django_connection_factory
    summary = run_loop_once(manifest, django_connection_factory(), ResendProvider())
"""

import base64
import email.utils
import hashlib
import hmac
import json
import math
import os
import random as _random
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, datetime, timedelta, timezone

try:
    from zoneinfo import ZoneInfo
except ImportError:  # pragma: no cover - Python < 3.9 is not supported
    ZoneInfo = None

RUNTIME_NAME = "python"
RESEND_DEFAULT_BASE_URL = "https://api.resend.com"
MAX_BATCH_SIZE = 100

# Byte-identical to sdk/runtime/ledger.sql (a test compares them). Deployments apply it
# by migration.
LEDGER_SQL = """-- Skene send ledger, tick claims and runs (PostgreSQL 12+).
-- The one DDL for both runtimes: the TypeScript engine reads this file and the Python
-- runtime embeds the same text (a test asserts they are byte-identical). Every
-- statement is idempotent (IF NOT EXISTS).

-- One row per email Skene intends to send, committed BEFORE the provider is called. The
-- unique key makes a second claim of the same (loop, step, user, dormancy cycle) a
-- no-op, whichever runtime or runner tries.
CREATE TABLE IF NOT EXISTS skene_send_ledger (
    id bigserial PRIMARY KEY,
    loop_id text NOT NULL,
    step integer NOT NULL,
    user_id text NOT NULL,
    cycle text NOT NULL,
    email text NOT NULL,
    idempotency_key varchar(256) NOT NULL UNIQUE,
    -- The exact JSON sent to the provider for this email, rendered once: retries are
    -- byte-identical.
    body text NOT NULL,
    body_hash char(64) NOT NULL,
    -- The Idempotency-Key of the provider request that carries this row (a batch
    -- shares one).
    batch_key varchar(256),
    -- pending -> sent | failed: an email. held_out: the deterministic holdout (no
    -- email, measured all the same). exited: a sequence the user left (reason
    -- returned | suppressed | inactive). deferred: an email that waits until
    -- not_before (reason capped | quiet_hours); a later run sends it or exits it.
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN (
            'pending', 'sent', 'failed', 'held_out', 'exited', 'deferred'
        )),
    reason text,
    not_before timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    provider_message_id text,
    run_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    -- The first activity seen after sent_at (held_out rows: after created_at), for
    -- `skene report`.
    converted_at timestamptz,
    UNIQUE (loop_id, step, user_id, cycle)
);
CREATE INDEX IF NOT EXISTS skene_send_ledger_pending
    ON skene_send_ledger (loop_id, batch_key) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS skene_send_ledger_user
    ON skene_send_ledger (loop_id, user_id, step);
-- The global frequency cap counts a user's emails across loops at claim time.
CREATE INDEX IF NOT EXISTS skene_send_ledger_recent
    ON skene_send_ledger (user_id) WHERE status IN ('pending', 'sent');
CREATE INDEX IF NOT EXISTS skene_send_ledger_deferred
    ON skene_send_ledger (loop_id, not_before) WHERE status = 'deferred';

-- One row per (loop, scheduled time): the INSERT that wins claims the tick. A tick
-- whose run died (lease expired) may be taken over by the next runner.
CREATE TABLE IF NOT EXISTS skene_tick (
    loop_id text NOT NULL,
    scheduled_at timestamptz NOT NULL,
    run_id bigint NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (loop_id, scheduled_at)
);

-- One row per run: its lease (expires_at, renewed while it works) and its summary.
CREATE TABLE IF NOT EXISTS skene_run (
    id bigserial PRIMARY KEY,
    loop_id text NOT NULL,
    scheduled_at timestamptz,
    runtime text NOT NULL,
    exclusive boolean NOT NULL DEFAULT true,
    status text NOT NULL
        CHECK (status IN (
            'running', 'succeeded', 'stopped', 'failed', 'skipped', 'expired'
        )),
    reason text,
    started_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    finished_at timestamptz,
    candidates integer NOT NULL DEFAULT 0,
    claimed integer NOT NULL DEFAULT 0,
    resumed integer NOT NULL DEFAULT 0,
    sent integer NOT NULL DEFAULT 0,
    skipped jsonb NOT NULL DEFAULT '{}'::jsonb,
    deferred integer NOT NULL DEFAULT 0,
    failed integer NOT NULL DEFAULT 0,
    duration_ms integer
);
-- At most one live exclusive run per loop: the lease. No session advisory locks
-- (PgBouncer-safe).
CREATE UNIQUE INDEX IF NOT EXISTS skene_run_one_live
    ON skene_run (loop_id) WHERE status = 'running' AND exclusive;

-- Addresses that must never be emailed (unsubscribed, bounced, complained). Stored
-- lower-cased.
CREATE TABLE IF NOT EXISTS skene_suppression (
    email text PRIMARY KEY,
    reason text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
"""


# --- keys -----------------------------------------------------------------------------

_SEPARATOR = "\x1f"
_MAX_LOOP_PART = 64
_HASH_CHARS = 48


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def idempotency_key(loop_id, step, user_id, cycle):
    """`skene:<loop>:<step>:<48 hex of sha256(loop␟step␟user␟cycle)>`: the same in both
    runtimes."""
    digest = sha256_hex(_SEPARATOR.join([loop_id, str(step), user_id, cycle]))[
        :_HASH_CHARS
    ]
    return "skene:%s:%d:%s" % (loop_id[:_MAX_LOOP_PART], step, digest)


def batch_key(loop_id, member_keys):
    """Key of a request carrying several rows, from its members' keys in ledger id
    order."""
    if len(member_keys) == 1:
        return member_keys[0]
    digest = sha256_hex("\n".join(member_keys))[:_HASH_CHARS]
    return "skene:%s:batch:%s" % (loop_id[:_MAX_LOOP_PART], digest)


def batch_body(bodies):
    return "[" + ",".join(bodies) + "]"


# --- rendering ------------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\s*\}\}"
)
_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}


def escape_html(text):
    return re.sub(r'[&<>"\']', lambda m: _HTML_ESCAPES[m.group(0)], text)


def _json_compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def value_text(value):
    """How a database value reads in an email; mirrors valueText() in render.ts."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # JavaScript prints 1.0 as "1".
        return (
            str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
        )
    return _json_compact(value)


def _fill(template, values, escape):
    def replace(match):
        value = values.get(match.group(1), "")
        return escape_html(value) if escape else value

    return _PLACEHOLDER.sub(replace, template)


def placeholder_values(personalization, user, unsubscribe_url):
    values = {}
    for column, value in user.items():
        values["user." + column] = value_text(value)
    user_only = dict(values)
    for name, value in personalization.items():
        values[name] = _fill(value, user_only, False)
    values["unsubscribe_url"] = unsubscribe_url
    return values


def render_email(subject, html, text, personalization, user, unsubscribe_url):
    """HTML gets escaped values; subject and text raw ones (they are not HTML)."""
    values = placeholder_values(personalization, user, unsubscribe_url)
    return {
        "subject": re.sub(r"[\r\n]+", " ", _fill(subject, values, False)),
        "html": _fill(html, values, True),
        "text": _fill(text, values, False),
    }


def unsubscribe_token(secret, loop_id, user_id):
    message = _SEPARATOR.join(["skene-unsubscribe", loop_id, user_id]).encode("utf-8")
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def unsubscribe_link(base_url, secret, loop_id, user_id):
    joiner = "&" if "?" in base_url else "?"
    # the same set of safe characters as encodeURIComponent
    quote = lambda s: urllib.parse.quote(s, safe="!*'()")  # noqa: E731
    return "%s%sl=%s&u=%s&t=%s" % (
        base_url,
        joiner,
        quote(loop_id),
        quote(user_id),
        unsubscribe_token(secret, loop_id, user_id),
    )


def _same_text(expected, given):
    """Constant-time comparison that never raises: compare_digest refuses non-ASCII str
    (a TypeError, which was a 500 in the views), so both sides are compared as UTF-8
    bytes; anything but a str is unequal."""
    if not isinstance(given, str):
        return False
    return hmac.compare_digest(
        expected.encode("utf-8"), given.encode("utf-8", "surrogatepass")
    )


def verify_unsubscribe_token(secret, loop_id, user_id, token):
    if not all(isinstance(part, str) for part in (loop_id, user_id)):
        return False
    return _same_text(unsubscribe_token(secret, loop_id, user_id), token)


def unsubscribe_headers(link):
    return {
        "List-Unsubscribe": "<%s>" % link,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def email_body(
    loop_id, user_id, email_address, step, user, unsubscribe_base_url, secret
):
    """The exact JSON stored in the ledger and sent; same bytes as emailBody() in
    TypeScript."""
    link = unsubscribe_link(unsubscribe_base_url, secret, loop_id, user_id)
    rendered = render_email(
        step["subject"],
        step["html"],
        step["text"],
        step.get("personalization") or {},
        user,
        link,
    )
    body = {
        "from": step["from"],
        "to": [email_address],
        "subject": rendered["subject"],
        "html": rendered["html"],
        "text": rendered["text"],
    }
    if step.get("replyTo"):
        body["reply_to"] = step["replyTo"]
    body["headers"] = unsubscribe_headers(link)
    return _json_compact(body)


# --- webhooks -------------------------------------------------------------------------

SVIX_TOLERANCE_SECONDS = 300


def verify_svix_signature(
    secret, message_id, timestamp, signature_header, body, now_seconds
):
    """Resend (Svix) webhook signatures: HMAC-SHA256 over
    "<svix-id>.<svix-timestamp>.<body>" with the base64 secret after "whsec_",
    base64-encoded, listed as "v1,<signature>" (space-separated) in svix-signature. A
    timestamp more than 5 minutes away from now is refused (replays)."""
    if not (secret and message_id and timestamp and signature_header):
        return False
    if not all(
        isinstance(part, str) for part in (message_id, timestamp, signature_header)
    ):
        return False
    try:
        sent_at = int(timestamp)
        key = base64.b64decode(
            secret[len("whsec_") :] if secret.startswith("whsec_") else secret
        )
    except (ValueError, TypeError):
        return False
    if abs(now_seconds - sent_at) > SVIX_TOLERANCE_SECONDS:
        return False
    payload = body if isinstance(body, bytes) else body.encode("utf-8")
    signed = ("%s.%s." % (message_id, timestamp)).encode(
        "utf-8", "surrogatepass"
    ) + payload
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode(
        "ascii"
    )
    for entry in signature_header.split():
        version, _, value = entry.partition(",")
        if version == "v1" and _same_text(expected, value):
            return True
    return False


# --- errors, backoff, throttle --------------------------------------------------------

_QUOTA_NAMES = ("daily_quota_exceeded", "monthly_quota_exceeded")


def parse_retry_after(value, now_ms):
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if re.match(r"^\d+(\.\d+)?$", text):
        return int(math.ceil(float(text) * 1000))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0, int(when.timestamp() * 1000) - int(now_ms))


def _classified(outcome, reason, retry_after_ms=None):
    return {"outcome": outcome, "reason": reason, "retryAfterMs": retry_after_ms}


def classify_answer(
    status=None, error_name=None, network_error=None, retry_after=None, now_ms=0
):
    """ok / retry / never / stop: the table in docs/runtime.md, identical to
    classifyError.ts."""
    if network_error is not None:
        return _classified("retry", "network: %s" % network_error)
    status = status or 0
    name = error_name or ""
    if 200 <= status < 300:
        return _classified("ok", "sent")
    if status == 429:
        if name in _QUOTA_NAMES:
            return _classified("stop", "quota: %s" % name)
        return _classified(
            "retry", "rate_limited", parse_retry_after(retry_after, now_ms)
        )
    if status in (401, 403):
        return _classified("stop", ("auth: %d %s" % (status, name)).strip())
    if status == 409:
        if name == "concurrent_idempotent_requests":
            return _classified("retry", "concurrent_idempotent_request")
        return _classified("never", "idempotency_conflict: %s" % (name or "conflict"))
    if status == 408:
        return _classified("retry", "request_timeout")
    if status >= 500:
        return _classified("retry", "server_error: %d" % status)
    return _classified("never", ("rejected: %d %s" % (status, name)).strip())


def backoff_delay_ms(policy, attempt, retry_after_ms, random):
    """Exponential: full jitter over [0, min(cap, base·2^attempt)); fixed: min(base,
    cap); ≥ retry-after."""
    ceiling = min(policy["capMs"], policy["baseMs"] * 2**attempt)
    if policy["backoff"] == "exponential":
        delay = int(math.floor(random() * ceiling))
    else:
        delay = min(policy["baseMs"], policy["capMs"])
    return max(delay, retry_after_ms or 0)


# Requests are spaced 2 % wider than 1/rate so timer and network jitter never land one a
# hair early.
SPACING_MARGIN = 1.02


class RateLimiter(object):
    """Requests start at least 1/rate s apart; the rate only goes down (ratelimit-limit,
    remaining 0)."""

    def __init__(self, rate_per_second, monotonic=time.monotonic, sleep=time.sleep):
        self.rate = float(rate_per_second)
        self._next_at = 0.0
        self._monotonic = monotonic
        self._sleep = sleep

    def _now_ms(self):
        return self._monotonic() * 1000.0

    def acquire(self):
        wait = self._next_at - self._now_ms()
        if wait > 0:
            self._sleep(wait / 1000.0)
        self._next_at = (
            max(self._now_ms(), self._next_at) + 1000.0 / self.rate * SPACING_MARGIN
        )

    def observe(self, headers):
        """Lowers the rate to ratelimit-limit. remaining 0 is not waited on (see
        rateLimiter.ts): the spacing keeps us at the limit, and a 429's retry-after
        pauses the limiter."""
        try:
            limit = float(headers.get("ratelimit-limit", ""))
        except ValueError:
            limit = None
        if limit is not None and limit > 0 and limit < self.rate:
            self.rate = limit

    def pause_for(self, ms):
        self._next_at = max(self._next_at, self._now_ms() + ms)


# --- ticks ----------------------------------------------------------------------------

_CRON_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_MONTHS = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
]
_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_SEARCH_DAYS = 366 * 5


def _cron_value(text, names, offset):
    if names and text.lower() in names:
        return names.index(text.lower()) + offset
    if not text.isdigit():
        raise ValueError("not a cron value: %s" % text)
    return int(text)


def _cron_field(text, low_bound, high_bound, names=None, offset=0):
    values = set()
    for part in text.split(","):
        range_text, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError("bad cron step: %s" % part)
        low, high = low_bound, high_bound
        if range_text != "*":
            first, dash, last = range_text.partition("-")
            low = _cron_value(first, names, offset)
            high = (
                _cron_value(last, names, offset)
                if dash
                else (high_bound if step_text else low)
            )
        if low < low_bound or high > high_bound or low > high:
            raise ValueError("cron value out of range: %s" % part)
        values.update(range(low, high + 1, step))
    return {"values": values, "restricted": not text.startswith("*")}


def parse_cron(expression):
    text = _CRON_MACROS.get(expression.strip().lower(), expression.strip())
    parts = text.split()
    if len(parts) != 5:
        raise ValueError("cron needs 5 fields, got %d: %s" % (len(parts), expression))
    dow = _cron_field(parts[4], 0, 7, _DAYS)
    if 7 in dow["values"]:
        dow["values"].discard(7)
        dow["values"].add(0)
    return {
        "minute": _cron_field(parts[0], 0, 59),
        "hour": _cron_field(parts[1], 0, 23),
        "dom": _cron_field(parts[2], 1, 31),
        "month": _cron_field(parts[3], 1, 12, _MONTHS, 1),
        "dow": dow,
    }


def _day_matches(spec, day):
    by_dom = day.day in spec["dom"]["values"]
    by_dow = (day.weekday() + 1) % 7 in spec["dow"]["values"]
    if spec["dom"]["restricted"] and spec["dow"]["restricted"]:
        return by_dom or by_dow
    return by_dom and by_dow


def scheduled_tick(expression, tz_name, now):
    """Latest time ≤ now the cron fires in the loop's zone (UTC datetime); mirrors
    scheduledTick.ts."""
    spec = parse_cron(expression)
    zone = ZoneInfo(tz_name)
    wall = now.astimezone(zone)
    today = date(wall.year, wall.month, wall.day)
    for back in range(_SEARCH_DAYS + 1):
        day = today - timedelta(days=back)
        if day.month not in spec["month"]["values"] or not _day_matches(spec, day):
            continue
        hour_limit = wall.hour if back == 0 else 23
        for hour in sorted(
            (h for h in spec["hour"]["values"] if h <= hour_limit), reverse=True
        ):
            minute_limit = wall.minute if back == 0 and hour == wall.hour else 59
            minutes = sorted(
                (m for m in spec["minute"]["values"] if m <= minute_limit), reverse=True
            )
            if minutes:
                local = datetime(
                    day.year, day.month, day.day, hour, minutes[0], tzinfo=zone
                )
                return local.astimezone(timezone.utc)
    raise ValueError(
        'cron "%s" does not fire in the %d days before %s'
        % (expression, _SEARCH_DAYS, now.isoformat())
    )


def iso_utc(moment):
    """2024-01-01T09:00:00.000Z, like JavaScript's toISOString()."""
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (
        moment.microsecond // 1000
    )


# --- the condition's seal and the SQL around it ---------------------------------------


def verify_seal(query, seal):
    """None when `query` is the exact text `skene init` validated and sealed (sha256 of
    its UTF-8 bytes), else why the run is refused. This runtime never parses SQL: the
    gate (sdk/runtime/conditionGate.ts) decided what `skene init` wrote into loops.json;
    any edit of the condition after that is refused here."""
    if not seal:
        return (
            "the condition has no sha256 seal (loops.json predates it or was edited): "
            "run `npx skene-django init` to regenerate it"
        )
    if sha256_hex(query) != seal:
        return (
            "the condition does not match its sha256 seal (loops.json was edited by "
            "hand): run `npx skene-django init` to regenerate it"
        )
    return None


def quote_ident(name):
    return '"%s"' % name.replace('"', '""')


def quote_table(name):
    return ".".join(quote_ident(part) for part in name.split("."))


def bare_query(query):
    return re.sub(r"[\s;]+$", "", query)


def quote_literal(text):
    return "'%s'" % text.replace("'", "''")


def cycle_expression(manifest, alias):
    """The dormancy cycle: whole epoch seconds of the last activity ("never" if none).
    Milestones: "milestone:" + the row's `milestone` column, else + the loop's milestone
    key (default: the loop id)."""
    if manifest["type"] == "milestone":
        key = manifest.get("milestone") or manifest["id"]
        return "'milestone:' || COALESCE(to_jsonb(%s) ->> 'milestone', %s)" % (
            alias,
            quote_literal(key),
        )
    return "COALESCE(floor(extract(epoch FROM %s.%s))::bigint::text, 'never')" % (
        alias,
        quote_ident(manifest["activityColumn"]),
    )


def _dollar(n):
    return "$%d" % n


def _select_list(manifest, alias):
    return (
        "SELECT %s.%s::text AS skene_user_id, %s.%s::text AS skene_email, "
        "%s AS skene_cycle, to_jsonb(%s) AS skene_row"
        % (
            alias,
            quote_ident(manifest["userIdColumn"]),
            alias,
            quote_ident(manifest["emailColumn"]),
            cycle_expression(manifest, alias),
            alias,
        )
    )


def audience_page_sql(manifest, first_page, marker=_dollar):
    """Keyset page of the audience; the same text as audiencePageSql() in TypeScript for
    marker $n."""
    query = bare_query(manifest["audience"]["query"])
    ident = "q." + quote_ident(manifest["userIdColumn"])
    where = "" if first_page else "WHERE %s > %s\n" % (ident, marker(1))
    limit = marker(1 if first_page else 2)
    return "%s\nFROM (\n%s\n) AS q\n%sORDER BY %s\nLIMIT %s" % (
        _select_list(manifest, "q"),
        query,
        where,
        ident,
        limit,
    )


# How an audience page runs (sdk/runtime/conditionCursor.ts): the page's text is handed
# to the server as a bound value, and a fixed DO block opens it as a cursor. PL/pgSQL's
# OPEN ... FOR EXECUTE plans exactly one statement and refuses anything else (SQLSTATE
# 42P11) before running any of it, so a loops.json edited to hold `SELECT ...; COMMIT;
# DELETE ...` runs nothing, on psycopg2 (which always sends text with the simple query
# protocol, where every statement in it runs), psycopg 3 and Django's cursors alike. No
# SQL is parsed here.
CONDITION_CURSOR = "skene_audience_page"
SET_CONDITION_PAGE = "SELECT pg_catalog.set_config('skene.audience_page', %s, true)"
OPEN_CONDITION_CURSOR = "\n".join(
    [
        "DO $skene$",
        "DECLARE page refcursor := '%s';" % CONDITION_CURSOR,
        "BEGIN",
        "  OPEN page NO SCROLL FOR EXECUTE "
        "pg_catalog.current_setting('skene.audience_page');",
        "END",
        "$skene$",
    ]
)
FETCH_CONDITION_PAGE = "FETCH ALL FROM %s" % CONDITION_CURSOR
NOT_ONE_SELECT = "42P11"


def condition_page_sql(manifest, after_id, limit):
    """The keyset page with its values written in (a cursor opened by EXECUTE takes no
    untyped parameters): the last id as a string literal, cast by PostgreSQL to the id
    column's type, and the page size as a number. The transaction sets
    standard_conforming_strings on, so doubling quotes is the whole of quoting. The same
    text as conditionPageSql() in TypeScript."""
    size = str(max(1, int(limit)))
    if after_id is None:
        return audience_page_sql(manifest, True, marker=lambda n: size)
    return audience_page_sql(
        manifest, False, marker=lambda n: quote_literal(after_id) if n == 1 else size
    )


def user_source(manifest):
    """The user rows with their last activity; the same text as userSource() in
    TypeScript. With activityJoin (Django's auth.User), the user table left-joined to
    the activity table as a subquery: a view would pin the types of every user column it
    selects, and Django's own auth migrations alter some."""
    join = manifest.get("activityJoin")
    if not join:
        return quote_table(manifest["userTable"])
    column = quote_ident(manifest["activityColumn"])
    since = (
        "COALESCE(a.%s, u.%s)" % (column, quote_ident(join["sinceColumn"]))
        if join.get("sinceColumn")
        else "a.%s" % column
    )
    return (
        "(SELECT u.*, %s AS %s FROM %s AS u LEFT JOIN %s AS a ON a.user_id = u.%s)"
        % (
            since,
            column,
            quote_table(manifest["userTable"]),
            quote_table(join["table"]),
            quote_ident(manifest["userIdColumn"]),
        )
    )


def users_by_id_sql(manifest, marker=_dollar):
    ident = "u." + quote_ident(manifest["userIdColumn"])
    return "%s\nFROM %s AS u\nWHERE %s = ANY(%s)" % (
        _select_list(manifest, "u"),
        user_source(manifest),
        ident,
        marker(1),
    )


def conversion_sweep_sql(manifest, marker=_dollar):
    """Records the first activity a run sees after each send or holdout row; mirrors
    conversionSweepSql()."""
    activity = "u." + quote_ident(manifest["activityColumn"])
    at = "COALESCE(l.sent_at, l.created_at)"
    return "\n".join(
        [
            "UPDATE skene_send_ledger AS l SET converted_at = %s" % activity,
            "FROM %s AS u" % user_source(manifest),
            "WHERE l.loop_id = %s AND l.status IN ('sent', 'held_out') "
            "AND l.converted_at IS NULL" % marker(1),
            "  AND u.%s::text = l.user_id AND %s > %s"
            % (quote_ident(manifest["userIdColumn"]), activity, at),
            "  AND %s > %s::timestamptz - %s * interval '1 second'"
            % (at, marker(2), marker(3)),
        ]
    )


def array_literal(values):
    return (
        "{"
        + ",".join('"%s"' % v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
        + "}"
    )


# --- eligibility, holdout, caps, quiet hours ------------------------------------------

_TWO_TO_32 = 4294967296


def holdout_bucket(loop_id, user_id):
    """First 32 bits of sha256("skene-holdout"␟loop␟user); mirrors holdout.ts (vectors:
    holdout.json)."""
    return int(sha256_hex(_SEPARATOR.join(["skene-holdout", loop_id, user_id]))[:8], 16)


def is_held_out(loop_id, user_id, share):
    return share > 0 and holdout_bucket(loop_id, user_id) < share * _TWO_TO_32


def _has_address(address):
    return bool(address) and bool(address.strip())


# One plain address; mirrors isValidAddress() in eligibility.ts: no whitespace or
# control character (a CR/LF would inject a mail header), no list separators, quotes,
# brackets or second '@' (several recipients).
_PLAIN_ADDRESS = re.compile(
    r'^[^\x00-\x20\x7f@,;:<>()\[\]\\"]+@[^\x00-\x20\x7f@,;:<>()\[\]\\"]+$'
)


def is_valid_address(address):
    return _PLAIN_ADDRESS.fullmatch(address) is not None


def decide_first_step(
    candidate, history, suppressed, frequency_cap, now_ms, holdout=None
):
    """'claim', 'held_out' or a skip reason; mirrors decideFirstStep() in
    eligibility.ts."""
    if not _has_address(candidate.get("email")):
        return "no_email"
    if not is_valid_address(candidate["email"]):
        return "invalid_email"
    if candidate.get("active") is False:
        return "inactive"
    if suppressed:
        return "suppressed"
    same = next(
        (episode for episode in history if episode["cycle"] == candidate["cycle"]), None
    )
    if same is not None:
        status = same.get("status")
        return (
            "already_deferred"
            if status == "deferred"
            else "already_held_out"
            if status == "held_out"
            else "already_sent"
        )
    window_start = now_ms - frequency_cap["perSeconds"] * 1000
    recent = len(
        [episode for episode in history if episode["createdAtMs"] > window_start]
    )
    if frequency_cap["max"] > 0 and recent >= frequency_cap["max"]:
        return "frequency_cap"
    if holdout and is_held_out(
        holdout["loopId"], candidate["userId"], holdout["share"]
    ):
        return "held_out"
    return "claim"


def decide_later_step(state):
    """A later step or a due deferred row, re-checked inside the claim; mirrors
    decideLaterStep().
    state: episodeCycle, currentCycle (None: the user is gone), email, suppressed,
    active?, milestone?"""
    current = state.get("currentCycle")
    if current is None or (
        not state.get("milestone") and current != state["episodeCycle"]
    ):
        return "exited:returned"
    if state.get("active") is False:
        return "exited:inactive"
    if state.get("suppressed"):
        return "exited:suppressed"
    if not _has_address(state.get("email")):
        return "no_email"
    if not is_valid_address(state["email"]):
        return "invalid_email"
    return "claim"


_DAY_MS = 86400000


def cap_deferral(recent_ms, cap, now_ms):
    """None when one more email fits the global cap, else when it would (mirrors
    frequencyCap.ts)."""
    newest_first = sorted(recent_ms, reverse=True)
    not_before = None
    for key, window_ms in (("perDay", _DAY_MS), ("perWeek", 7 * _DAY_MS)):
        limit = cap.get(key, 0)
        if limit <= 0:
            continue
        in_window = [at for at in newest_first if at > now_ms - window_ms]
        if len(in_window) < limit:
            continue
        free_at = in_window[limit - 1] + window_ms
        not_before = free_at if not_before is None else max(not_before, free_at)
    return not_before


def is_known_zone(zone):
    if not isinstance(zone, str) or not re.match(r"^[A-Za-z][A-Za-z0-9_+\-/]*$", zone):
        return False
    try:
        ZoneInfo(zone)
        return True
    except Exception:  # ZoneInfoNotFoundError, ValueError: not a zone this system knows
        return False


def effective_zone(user_zone, quiet):
    return user_zone if is_known_zone(user_zone) else quiet["timezone"]


def _minutes(clock):
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def quiet_until(now_ms, zone_name, quiet):
    """None outside the quiet window, else the end of the window (ms); mirrors
    quietHours.ts."""
    start, end = _minutes(quiet["start"]), _minutes(quiet["end"])
    if start == end:
        return None
    zone = ZoneInfo(zone_name)
    wall = datetime.fromtimestamp(now_ms / 1000.0, timezone.utc).astimezone(zone)
    minute = wall.hour * 60 + wall.minute
    inside = start <= minute < end if start < end else (minute >= start or minute < end)
    if not inside:
        return None
    day = date(wall.year, wall.month, wall.day) + timedelta(
        days=1 if start > end and minute >= start else 0
    )
    local = datetime(day.year, day.month, day.day, end // 60, end % 60, tzinfo=zone)
    return int(local.astimezone(timezone.utc).timestamp()) * 1000


def decide_delivery(rules, row, recent_ms, now_ms):
    """The global cap first, then quiet hours in the user's zone; mirrors
    deliveryWindow.ts."""
    cap = rules.get("globalCap")
    if cap:
        not_before = cap_deferral(recent_ms, cap, now_ms)
        if not_before is not None:
            return {"kind": "defer", "reason": "capped", "notBeforeMs": not_before}
    quiet = rules.get("quietHours")
    if quiet:
        column = rules.get("timezoneColumn")
        zone = effective_zone(row.get(column) if column else None, quiet)
        until = quiet_until(now_ms, zone, quiet)
        if until is not None:
            return {"kind": "defer", "reason": "quiet_hours", "notBeforeMs": until}
    return {"kind": "send"}


def manifest_problems(manifest):
    problems = []
    identifier = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
    for key in ("userIdColumn", "emailColumn", "activityColumn"):
        if not identifier.match(manifest.get(key) or ""):
            problems.append(
                "%s must be a plain column name, got %s"
                % (key, json.dumps(manifest.get(key)))
            )
    for key in ("timezoneColumn", "isActiveColumn"):
        if manifest.get(key) is not None and not identifier.match(manifest[key]):
            problems.append(
                "%s must be a plain column name, got %s"
                % (key, json.dumps(manifest[key]))
            )
    if not 0 <= (manifest.get("holdout") or 0) <= 0.5:
        problems.append("holdout must be between 0 and 0.5")
    quiet = manifest.get("quietHours")
    clock = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
    if quiet and not (
        clock.match(quiet.get("start") or "") and clock.match(quiet.get("end") or "")
    ):
        problems.append('quietHours start and end must be "HH:MM"')
    table_name = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
    if not table_name.match(manifest.get("userTable") or ""):
        problems.append(
            "userTable must be a table name, got %s"
            % json.dumps(manifest.get("userTable"))
        )
    join = manifest.get("activityJoin")
    if join and not table_name.match(join.get("table") or ""):
        problems.append(
            "activityJoin.table must be a table name, got %s"
            % json.dumps(join.get("table"))
        )
    if join and join.get("sinceColumn") and not identifier.match(join["sinceColumn"]):
        problems.append(
            "activityJoin.sinceColumn must be a plain column name, got %s"
            % json.dumps(join["sinceColumn"])
        )
    steps = manifest.get("steps") or []
    if not steps:
        problems.append("a loop needs at least one step")
    for position, step in enumerate(steps):
        if step.get("index") != position:
            problems.append("steps[%d].index must be %d" % (position, position))
    if not 1 <= manifest.get("batchSize", 0) <= MAX_BATCH_SIZE:
        problems.append("batchSize must be 1..%d" % MAX_BATCH_SIZE)
    if manifest.get("pageSize", 0) < 1:
        problems.append("pageSize must be at least 1")
    if not manifest.get("rateLimitPerSecond", 0) > 0:
        problems.append("rateLimitPerSecond must be positive")
    return problems


# --- the report (skene report, the Django report view) --------------------------------

Z_95 = 1.959963984540054
MIN_GROUP = 30
MIN_OUTCOMES = 5


def wilson(x, n, z=Z_95):
    p = x / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = (z / denominator) * math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
    return [centre - half, centre + half]


def newcombe_interval(x1, n1, x2, n2):
    """95 % interval of p1 - p2, Newcombe's hybrid score method (method 10); mirrors
    liftStats.ts."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1)
    l2, u2 = wilson(x2, n2)
    d = p1 - p2
    return [
        d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    ]


def lift_stats(sent, sent_converted, held, held_converted):
    """rate, holdoutRate, lift, ci and verdict of one step; mirrors liftStats() in
    TypeScript."""
    rate = sent_converted / sent if sent else None
    holdout_rate = held_converted / held if held else None
    lift = (
        rate - holdout_rate if rate is not None and holdout_rate is not None else None
    )
    ci = (
        newcombe_interval(sent_converted, sent, held_converted, held)
        if sent and held
        else None
    )
    if not sent:
        verdict = "no_sends"
    elif not held or ci is None:
        verdict = "no_holdout"
    elif (
        sent < MIN_GROUP
        or held < MIN_GROUP
        or min(
            sent_converted, sent - sent_converted, held_converted, held - held_converted
        )
        < MIN_OUTCOMES
    ):
        verdict = "too_small"
    elif ci[0] > 0:
        verdict = "lift"
    elif ci[1] < 0:
        verdict = "negative"
    else:
        verdict = "no_lift"
    return {
        "rate": rate,
        "holdoutRate": holdout_rate,
        "lift": lift,
        "ci": ci,
        "verdict": verdict,
    }


def report_sql(source, marker=_dollar):
    """Per-step counts of sends, holdout and re-engagement; the same text as reportSql()
    in TypeScript."""
    activity = "u." + quote_ident(source["activityColumn"])
    virtual = "r.at + s.delay_s * interval '1 second'"

    def window_end(start):
        return "%s + %s * interval '1 second'" % (start, marker(3))

    held_base = (
        "r.status = 'held_out' AND %s <= %s::timestamptz "
        "AND (r.converted IS NULL OR r.converted > %s)" % (virtual, marker(2), virtual)
    )
    return "\n".join(
        [
            "WITH rows AS (",
            "  SELECT l.step, l.status, COALESCE(l.sent_at, l.created_at) AS at,",
            "    COALESCE(l.converted_at, "
            "CASE WHEN %s > COALESCE(l.sent_at, l.created_at) THEN %s END) AS converted"
            % (activity, activity),
            "  FROM skene_send_ledger AS l",
            "  LEFT JOIN %s AS u ON u.%s::text = l.user_id"
            % (user_source(source), quote_ident(source["userIdColumn"])),
            "  WHERE l.loop_id = %s AND l.status IN ('sent', 'held_out')" % marker(1),
            "), steps AS (",
            "  SELECT * FROM unnest(%s::int[], %s::bigint[]) AS s(step, delay_s)"
            % (marker(4), marker(5)),
            ")",
            "SELECT s.step,",
            "  count(*) FILTER (WHERE r.status = 'sent' AND r.step = s.step)::int "
            "AS sent,",
            "  count(*) FILTER (WHERE r.status = 'sent' AND r.step = s.step "
            "AND r.converted > r.at AND r.converted <= %s)::int AS sent_converted,"
            % window_end("r.at"),
            "  count(*) FILTER (WHERE r.status = 'sent' AND r.step = s.step "
            "AND %s > %s::timestamptz)::int AS sent_open,"
            % (window_end("r.at"), marker(2)),
            "  count(*) FILTER (WHERE %s)::int AS held," % held_base,
            "  count(*) FILTER (WHERE %s AND r.converted <= %s)::int AS held_converted"
            % (held_base, window_end(virtual)),
            "FROM steps AS s LEFT JOIN rows AS r ON true",
            "GROUP BY s.step",
            "ORDER BY s.step",
        ]
    )


def loop_report(conn, loop, project, now=None):
    """The report of one loop from loops.json (`project`: its user table facts): one
    dict per step with the counts and lift_stats. `conn` is Django's connection (or any
    DB-API connection)."""
    now = now or datetime.now(timezone.utc)
    steps = loop["steps"]
    window = loop.get("conversionWindowSeconds") or 14 * 86400
    with conn.cursor() as cursor:
        # Named markers: the query uses some parameters more than once.
        params = {
            "p1": loop["id"],
            "p2": now,
            "p3": window,
            "p4": [s["index"] for s in steps],
            "p5": [s["delaySeconds"] for s in steps],
        }
        cursor.execute(report_sql(project, marker=lambda n: "%%(p%d)s" % n), params)
        rows = cursor.fetchall()
    report = []
    for step, sent, sent_converted, sent_open, held, held_converted in rows:
        entry = {
            "step": step,
            "template": steps[step]["template"],
            "sent": sent,
            "sentConverted": sent_converted,
            "sentOpen": sent_open,
            "held": held,
            "heldConverted": held_converted,
        }
        entry.update(lift_stats(sent, sent_converted, held, held_converted))
        report.append(entry)
    return report


# --- providers ------------------------------------------------------------------------


class ResendProvider(object):
    """Resend over HTTP(S): /emails or /emails/batch, Bearer key, Idempotency-Key. Env:
    RESEND_API_KEY, RESEND_BASE_URL (default https://api.resend.com)."""

    name = "resend"
    max_batch = MAX_BATCH_SIZE

    def __init__(self, api_key=None, base_url=None, timeout=30.0):
        self.api_key = (
            api_key if api_key is not None else os.environ.get("RESEND_API_KEY", "")
        )
        self.base_url = (
            base_url or os.environ.get("RESEND_BASE_URL") or RESEND_DEFAULT_BASE_URL
        ).rstrip("/")
        self.timeout = timeout

    def send(self, idempotency_key, body, count):
        path = "/emails/batch" if count > 1 else "/emails"
        request = urllib.request.Request(
            self.base_url + path,
            data=body.encode("utf-8"),
            method="POST",
            headers={
                "Authorization": "Bearer %s" % self.api_key,
                "Content-Type": "application/json",
                "Idempotency-Key": idempotency_key,
                "User-Agent": "skene-runtime/1",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return _response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return _response(error.code, error.headers, error.read())
        except (socket.timeout, TimeoutError):
            return {"kind": "network", "error": "timeout"}
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                return {"kind": "network", "error": "timeout"}
            return {
                "kind": "network",
                "error": type(reason).__name__
                if isinstance(reason, BaseException)
                else str(reason),
            }
        except (ConnectionError, OSError) as error:
            return {"kind": "network", "error": type(error).__name__}


def _response(status, headers, raw):
    text = raw.decode("utf-8", "replace") if raw else ""
    try:
        parsed = json.loads(text) if text else None
    except ValueError:
        parsed = {"message": text}
    return {
        "kind": "response",
        "status": status,
        "headers": {k.lower(): v for k, v in (headers or {}).items()},
        "json": parsed,
    }


class LogProvider(object):
    """Prints each email instead of sending it (the demo's provider)."""

    name = "log"
    max_batch = MAX_BATCH_SIZE

    def __init__(self, print_line=print):
        self._print = print_line
        self._counter = 0

    def send(self, idempotency_key, body, count):
        emails = json.loads(body) if count > 1 else [json.loads(body)]
        data = []
        for item in emails:
            self._counter += 1
            self._print(
                "[skene:log] to=%s subject=%s key=%s"
                % (
                    ",".join(item["to"]),
                    json.dumps(item["subject"], ensure_ascii=False),
                    idempotency_key,
                )
            )
            data.append({"id": "log-%d" % self._counter})
        return {
            "kind": "response",
            "status": 200,
            "headers": {},
            "json": {"data": data} if count > 1 else data[0],
        }


# --- smtp: Django's email backend ----------------------------------------------------
# (the TypeScript twin is sdk/runtime/providers/smtpProvider.ts)

SMTP_AUTH_CODES = (530, 535)


def smtp_message_id(idempotency_key, sender):
    """`<skene.<40 hex of sha256(key)>@<sender's domain>>`, as smtpMessageId in
    TypeScript: a resend after a crash carries the same Message-ID."""
    address = email.utils.parseaddr(sender)[1]
    domain = address.rpartition("@")[2] if "@" in address else "skene.invalid"
    return "<skene.%s@%s>" % (
        hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:40],
        domain,
    )


def smtp_answer(code, message):
    """An SMTP reply code as the HTTP-like answer the shared classifier reads: 530/535 →
    401 (stop), other 5xx → 422 (never), 4xx → 503 (retry)."""
    status = 401 if code in SMTP_AUTH_CODES else 422 if code >= 500 else 503
    text = (
        message.decode("utf-8", "replace")
        if isinstance(message, bytes)
        else str(message)
    )
    return {
        "kind": "response",
        "status": status,
        "headers": {},
        "json": {"name": "smtp_%d" % code, "message": text},
    }


class DjangoEmailProvider(object):
    """Sends through Django's email backend (EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT,
    EMAIL_HOST_USER, ...), one email per request, with the List-Unsubscribe headers of
    the stored body."""

    name = "smtp"
    max_batch = 1

    def __init__(self, connection_factory=None):
        self._connection_factory = connection_factory

    def _connection(self):
        if self._connection_factory is not None:
            return self._connection_factory()
        from django.core.mail import get_connection

        return get_connection(fail_silently=False)

    def send(self, idempotency_key, body, count):
        import smtplib

        from django.core.mail import EmailMultiAlternatives

        item = json.loads(body)
        message_id = smtp_message_id(idempotency_key, item["from"])
        headers = dict(item.get("headers") or {}, **{"Message-ID": message_id})
        message = EmailMultiAlternatives(
            item["subject"],
            item["text"],
            item["from"],
            item["to"],
            headers=headers,
            reply_to=[item["reply_to"]] if item.get("reply_to") else None,
            connection=self._connection(),
        )
        message.attach_alternative(item["html"], "text/html")
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            return smtp_answer(code, reply)
        except (
            smtplib.SMTPResponseException
        ) as error:  # auth, sender refused, data refused, ...
            return smtp_answer(error.smtp_code, error.smtp_error)
        except (socket.timeout, TimeoutError):
            return {"kind": "network", "error": "timeout"}
        except (
            smtplib.SMTPException,
            OSError,
        ) as error:  # refused, reset, disconnected
            return {"kind": "network", "error": type(error).__name__}
        return {
            "kind": "response",
            "status": 200,
            "headers": {},
            "json": {"id": message_id},
        }


def message_ids(parsed, count):
    parsed = parsed or {}
    if count == 1 and isinstance(parsed.get("id"), str):
        return [parsed["id"]]
    data = parsed.get("data") if isinstance(parsed.get("data"), list) else []
    ids = []
    for index in range(count):
        item = (
            data[index] if index < len(data) and isinstance(data[index], dict) else {}
        )
        ids.append(item.get("id") if isinstance(item.get("id"), str) else None)
    return ids


def error_name(parsed):
    name = parsed.get("name") if isinstance(parsed, dict) else None
    return name if isinstance(name, str) else None


# --- statements (the same as sdk/runtime/statements.ts, with %s markers) --------------

_NOT_OWNED_BY_LIVE_RUN = (
    "NOT EXISTS (SELECT 1 FROM skene_run r WHERE r.id = s.run_id AND "
    "r.status = 'running' AND r.expires_at > now())"
)

SQL = {
    "expire_stale_runs": (
        "UPDATE skene_run SET status = 'expired', reason = 'lease expired', "
        "finished_at = now() WHERE loop_id = %s AND status = 'running' AND "
        "expires_at < now()"
    ),
    "insert_run": (
        "INSERT INTO skene_run (loop_id, scheduled_at, runtime, exclusive, status, "
        "expires_at) VALUES (%s, %s, %s, %s, 'running', now() + %s * interval "
        "'1 millisecond') ON CONFLICT (loop_id) WHERE status = 'running' AND exclusive "
        "DO NOTHING RETURNING id"
    ),
    "insert_skipped_run": (
        "INSERT INTO skene_run (loop_id, scheduled_at, runtime, exclusive, status, "
        "reason, expires_at, finished_at, duration_ms) VALUES (%s, %s, %s, %s, "
        "'skipped', %s, now(), now(), 0) RETURNING id"
    ),
    "claim_tick": (
        "INSERT INTO skene_tick (loop_id, scheduled_at, run_id) VALUES (%s, %s, %s) ON "
        "CONFLICT (loop_id, scheduled_at) DO UPDATE SET run_id = EXCLUDED.run_id, "
        "claimed_at = now() WHERE EXISTS (SELECT 1 FROM skene_run r WHERE "
        "r.id = skene_tick.run_id AND r.status IN ('expired', 'stopped')) RETURNING "
        "run_id"
    ),
    "renew_lease": (
        "UPDATE skene_run SET expires_at = now() + %s * interval '1 millisecond' WHERE "
        "id = %s AND status = 'running' RETURNING id"
    ),
    "finish_run": (
        "UPDATE skene_run SET status = %s, reason = %s, finished_at = now(), "
        "candidates = %s, claimed = %s, resumed = %s, sent = %s, skipped = %s::jsonb, "
        "deferred = %s, failed = %s, duration_ms = %s WHERE id = %s"
    ),
    "episode_history": (
        "SELECT user_id, cycle, status, (extract(epoch FROM "
        "created_at) * 1000)::float8 AS created_ms FROM skene_send_ledger WHERE "
        "loop_id = %s AND step = 0 AND user_id = ANY(%s::text[])"
    ),
    "suppressed": "SELECT email FROM skene_suppression WHERE email = ANY(%s::text[])",
    "insert_claims": (
        "INSERT INTO skene_send_ledger (loop_id, step, user_id, cycle, email, "
        "idempotency_key, body, body_hash, run_id, status, reason, not_before, "
        "created_at, updated_at) SELECT %s, %s, c.user_id, c.cycle, c.email, "
        "c.idempotency_key, c.body, c.body_hash, %s, c.status, c.reason, c.not_before, "
        "%s, %s FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], "
        "%s::text[], %s::text[], %s::text[], %s::text[], %s::timestamptz[]) AS "
        "c(user_id, cycle, email, idempotency_key, body, body_hash, status, reason, "
        "not_before) ON CONFLICT DO NOTHING RETURNING id, user_id, idempotency_key, "
        "body, status, reason"
    ),
    "update_deferred": (
        "UPDATE skene_send_ledger AS s SET status = v.status, reason = v.reason, "
        "not_before = v.not_before, body = v.body, body_hash = v.body_hash, "
        "run_id = %s, updated_at = %s FROM unnest(%s::bigint[], %s::text[], "
        "%s::text[], %s::timestamptz[], %s::text[], %s::text[]) AS v(id, status, "
        "reason, not_before, body, body_hash) WHERE s.id = v.id AND "
        "s.status = 'deferred' RETURNING s.id, s.user_id, s.idempotency_key, s.body, "
        "s.status, s.reason"
    ),
    "due_deferred": (
        "SELECT id, step, user_id, cycle FROM skene_send_ledger WHERE loop_id = %s AND "
        "status = 'deferred' AND not_before <= %s AND id > %s ORDER BY id LIMIT %s"
    ),
    "lock_users": (
        "SELECT pg_advisory_xact_lock(1397444165, hashtext(s.u)) FROM (SELECT u FROM "
        "unnest(%s::text[]) AS u ORDER BY u) AS s"
    ),
    "recent_sends": (
        "SELECT user_id, (extract(epoch FROM COALESCE(sent_at, "
        "updated_at)) * 1000)::float8 AS at_ms FROM skene_send_ledger WHERE "
        "user_id = ANY(%s::text[]) AND status IN ('pending', 'sent') AND "
        "COALESCE(sent_at, updated_at) > %s::timestamptz - interval '7 days'"
    ),
    "set_batch_keys": (
        "UPDATE skene_send_ledger AS s SET batch_key = v.batch_key FROM "
        "unnest(%s::bigint[], %s::text[]) AS v(id, batch_key) WHERE s.id = v.id"
    ),
    "resumable_batches": (
        "SELECT DISTINCT s.batch_key FROM skene_send_ledger s WHERE s.loop_id = %s AND "
        "s.status = 'pending' AND s.batch_key IS NOT NULL AND s.run_id IS DISTINCT "
        "FROM %s AND " + _NOT_OWNED_BY_LIVE_RUN + " ORDER BY s.batch_key LIMIT %s"
    ),
    "take_over_batches": (
        "UPDATE skene_send_ledger s SET run_id = %s, updated_at = now() WHERE "
        "s.loop_id = %s AND s.status = 'pending' AND s.batch_key = ANY(%s::text[]) AND "
        + _NOT_OWNED_BY_LIVE_RUN
        + " RETURNING s.id, s.user_id, s.idempotency_key, s.body, s.batch_key"
    ),
    "mark_sent": (
        "UPDATE skene_send_ledger AS s SET status = 'sent', sent_at = %s, "
        "updated_at = %s, attempts = s.attempts + %s, last_error = NULL, "
        "provider_message_id = v.message_id FROM unnest(%s::bigint[], %s::text[]) AS "
        "v(id, message_id) WHERE s.id = v.id AND s.status = 'pending'"
    ),
    "mark_failed": (
        "UPDATE skene_send_ledger SET status = 'failed', updated_at = now(), "
        "attempts = attempts + %s, last_error = %s WHERE id = ANY(%s::bigint[]) AND "
        "status = 'pending'"
    ),
    "note_retryable": (
        "UPDATE skene_send_ledger SET updated_at = now(), attempts = attempts + %s, "
        "last_error = %s, status = CASE WHEN attempts + %s >= %s OR "
        "created_at < now() - interval '24 hours' THEN 'failed' ELSE status END WHERE "
        "id = ANY(%s::bigint[]) AND status = 'pending' RETURNING status"
    ),
    "note_deferred": (
        "UPDATE skene_send_ledger SET updated_at = now(), attempts = attempts + %s, "
        "last_error = %s WHERE id = ANY(%s::bigint[]) AND status = 'pending'"
    ),
    "count_deferred": (
        "SELECT count(*)::int FROM skene_send_ledger WHERE run_id = %s AND "
        "status = 'pending'"
    ),
    "later_step_candidates": (
        "SELECT prev.user_id, prev.cycle FROM skene_send_ledger prev JOIN "
        "skene_send_ledger first ON first.loop_id = prev.loop_id AND first.step = 0 "
        "AND first.user_id = prev.user_id AND first.cycle = prev.cycle AND "
        "first.status = 'sent' LEFT JOIN skene_run r ON r.id = first.run_id WHERE "
        "prev.loop_id = %(loop)s AND prev.step = %(step)s AND prev.status = 'sent' AND "
        "COALESCE(r.scheduled_at, "
        "first.sent_at) <= %(tick)s::timestamptz - %(delay)s * interval '1 second' AND "
        "NOT EXISTS (SELECT 1 FROM skene_send_ledger nxt WHERE "
        "nxt.loop_id = prev.loop_id AND nxt.step = %(step)s + 1 AND "
        "nxt.user_id = prev.user_id AND nxt.cycle = prev.cycle) AND (prev.user_id, "
        "prev.cycle) > (%(after_user)s, %(after_cycle)s) ORDER BY prev.user_id, "
        "prev.cycle LIMIT %(limit)s"
    ),
}


# --- the engine -----------------------------------------------------------------------


class RunHalt(Exception):
    """Ends a run early; the run row records status ('stopped' or 'failed') and
    reason."""

    def __init__(self, status, reason):
        Exception.__init__(self, reason)
        self.status = status
        self.reason = reason


def _default_secret():
    if os.environ.get("SKENE_SECRET"):
        return os.environ["SKENE_SECRET"]
    try:
        from django.conf import settings

        return getattr(settings, "SECRET_KEY", "") if settings.configured else ""
    except ImportError:
        return ""


class DjangoConnection(object):
    """Django's own database connection for `alias`, as the runtime uses it: the
    project's driver (psycopg 2 or 3, whichever its ENGINE loads), its settings, its
    pooling. The runtime issues BEGIN / COMMIT / ROLLBACK itself, so it needs the
    connection in autocommit mode, i.e. outside transaction.atomic()."""

    def __init__(self, alias="default"):
        from django.db import connections

        self._db = connections[alias]
        if self._db.in_atomic_block:
            raise RuntimeError(
                "run_loop_once manages its own transactions: "
                "call it outside transaction.atomic()"
            )
        self._db.ensure_connection()

    def cursor(self):
        return self._db.cursor()

    @property
    def closed(self):
        raw = self._db.connection
        return raw is None or bool(getattr(raw, "closed", False))

    def close(self):
        """Leaves Django's connection as it was found: no transaction open (the
        runtime's are all ended; this only matters when a run was interrupted between
        BEGIN and its end)."""
        if not self.closed:
            try:
                with self._db.cursor() as cursor:
                    cursor.execute("ROLLBACK")
            except (
                Exception
            ):  # the connection may be broken; Django replaces it on the next request
                pass

    def disconnect(self):
        """Closes this thread's Django connection: the lease heartbeat's thread opened
        it and nothing else in that thread will (Django closes request connections
        itself, not those of other threads)."""
        self._db.close()


def django_connection_factory(alias="default"):
    """What the generated task passes as `connect`: Django's own connection for
    `alias`."""
    return lambda: DjangoConnection(alias)


def _open(connect):
    """`connect` returns a DB-API connection (Django's, through
    django_connection_factory, or one a test opens). This module never imports a
    database driver, so it works with whichever the project has."""
    if not callable(connect):
        raise TypeError(
            "connect must be a callable returning a connection, "
            "e.g. django_connection_factory()"
        )
    conn = connect()
    if not isinstance(conn, DjangoConnection):
        conn.autocommit = True
    return conn


LEASE_LOST = (
    "lease lost: the run stopped renewing it in time "
    "and another run may have taken over"
)


def heartbeat_interval_ms(lease_ms):
    """Two beats may be missed before the lease lapses; the same rule as
    heartbeatIntervalMs() in TypeScript."""
    return max(10, int(lease_ms // 3))


class _LeaseHeartbeat(object):
    """Renews a run's lease every leaseMs / 3 from a thread and a connection of its own,
    so the lease can be short (30 s by default) and still outlive a long audience page,
    a slow provider request or a backoff wait. A worker killed with -9 stops beating and
    its lease lapses within leaseMs: the next run takes over the rows it claimed. Its
    own connection because the run's is busy exactly when renewing matters (a long
    statement, a READ ONLY transaction, a transaction a ROLLBACK would undo). With
    django_connection_factory() the thread gets its own Django connection (Django's
    connections are per thread) and closes it when the run ends. Mirrors
    sdk/runtime/leaseHeartbeat.ts."""

    def __init__(self, connect, run_id, lease_ms, log):
        self._connect, self._run_id, self._lease_ms, self._log = (
            connect,
            run_id,
            lease_ms,
            log,
        )
        self.lost = None
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._beat_until_stopped, name="skene-lease-%s" % run_id, daemon=True
        )
        self._thread.start()

    def _beat_until_stopped(self):
        conn, warned = None, False
        try:
            while not self._stopped.wait(
                heartbeat_interval_ms(self._lease_ms) / 1000.0
            ):
                try:
                    if conn is None:
                        conn = _open(self._connect)
                    cursor = conn.cursor()
                    cursor.execute(SQL["renew_lease"], (self._lease_ms, self._run_id))
                    renewed = cursor.fetchone()
                    cursor.close()
                    if renewed is None:
                        self.lost = LEASE_LOST
                        return
                    warned = False
                except Exception as error:  # noqa: BLE001
                    # retried at the next beat; the run also renews between pages
                    if not warned:
                        self._log(
                            "[skene] lease heartbeat of run %s failed, retrying: %s"
                            % (self._run_id, error)
                        )
                    warned = True
                    conn = _release(conn)
        finally:
            _release(conn)

    def stop(self):
        self._stopped.set()
        self._thread.join()


def _release(conn):
    """Closes a heartbeat connection (for Django's, this thread's connection); returns
    None."""
    if conn is not None:
        try:
            conn.disconnect() if isinstance(conn, DjangoConnection) else conn.close()
        except Exception:  # noqa: BLE001 - it may already be broken
            pass
    return None


class _Run(object):
    def __init__(
        self,
        conn,
        manifest,
        provider,
        secret,
        now,
        dry_run,
        random,
        log,
        sleep,
        limiter,
    ):
        self.conn, self.cur = conn, conn.cursor()
        self.manifest, self.provider, self.secret = manifest, provider, secret
        self.now, self.now_ms = now, int(now.timestamp() * 1000)
        self.dry_run, self.random, self.log, self.sleep, self.limiter = (
            dry_run,
            random,
            log,
            sleep,
            limiter,
        )
        self.run_id = None
        self.heartbeat = None
        self.summary = None
        self._started = time.monotonic()
        self.scheduled_at = now

    def clock_now(self):
        """The run's clock: `now` plus the time elapsed since the run started (ledger
        times use it)."""
        elapsed_ms = int((time.monotonic() - self._started) * 1000)
        return datetime.fromtimestamp((self.now_ms + elapsed_ms) / 1000.0, timezone.utc)

    def execute(self, sql, params=None):
        self.cur.execute(sql, params)
        return self.cur

    def skip(self, reason, count=1):
        self.summary["skipped"][reason] = self.summary["skipped"].get(reason, 0) + count

    def transaction(self, work, read_only=False):
        self.execute("BEGIN READ ONLY" if read_only else "BEGIN")
        try:
            result = work()
        except BaseException:
            try:
                self.execute("ROLLBACK")
            except Exception:  # the connection may be gone; the original error matters
                pass
            raise
        self.execute("COMMIT")
        return result


MISSING_TABLES = (
    "Skene's ledger tables are missing "
    "(apply Skene's migration, or sdk/runtime/ledger.sql)"
)


def _empty_summary(manifest, scheduled_at):
    return {
        "loop_id": manifest["id"],
        "run_id": None,
        "runtime": RUNTIME_NAME,
        "status": "succeeded",
        "reason": None,
        "scheduled_at": iso_utc(scheduled_at),
        "candidates": 0,
        "claimed": 0,
        "resumed": 0,
        "sent": 0,
        "skipped": {},
        "deferred": 0,
        "failed": 0,
        "requests": 0,
        "duration_ms": 0,
    }


def _start_run(run, scheduled_at, exclusive):
    """Expire dead leases, take the loop's lease, claim the tick: one short
    transaction."""
    manifest = run.manifest
    run.execute("BEGIN")
    if exclusive:
        run.execute(SQL["expire_stale_runs"], (manifest["id"],))
    row = run.execute(
        SQL["insert_run"],
        (manifest["id"], scheduled_at, RUNTIME_NAME, exclusive, manifest["leaseMs"]),
    ).fetchone()
    reason = None
    if row is None:
        reason = "overlap: another run of this loop holds the lease"
    elif (
        exclusive
        and run.execute(
            SQL["claim_tick"], (manifest["id"], scheduled_at, row[0])
        ).fetchone()
        is None
    ):
        reason = "tick %s already claimed" % iso_utc(scheduled_at)
    if reason is None:
        run.execute("COMMIT")
        return row[0], None
    run.execute("ROLLBACK")
    skipped = run.execute(
        SQL["insert_skipped_run"],
        (manifest["id"], scheduled_at, RUNTIME_NAME, exclusive, reason),
    ).fetchone()
    return skipped[0], reason


def _assert_lease(run):
    """Stops the run when the heartbeat found its lease gone: another run may already
    own its pending rows. Checked before every provider request (no query: the
    heartbeat's finding)."""
    if run.heartbeat is not None and run.heartbeat.lost:
        raise RunHalt("stopped", run.heartbeat.lost)


def _renew_lease(run):
    """Extends the lease between pages (the heartbeat also does, in between)."""
    if run.dry_run or run.run_id is None:
        return
    _assert_lease(run)
    if (
        run.execute(
            SQL["renew_lease"], (run.manifest["leaseMs"], run.run_id)
        ).fetchone()
        is None
    ):
        raise RunHalt("stopped", LEASE_LOST)


def _sqlstate(error):
    """The SQLSTATE of a database error from psycopg2 (pgcode), psycopg 3 (sqlstate) or
    Django's wrapper of either (the driver's error is its __cause__); None for anything
    else."""
    for candidate in (error, getattr(error, "__cause__", None)):
        code = getattr(candidate, "pgcode", None) or getattr(
            candidate, "sqlstate", None
        )
        if code:
            return code
    return None


def _driver_message(error):
    """PostgreSQL's message without the driver's extras (psycopg2's pgerror starts with
    'ERROR:  ' and adds CONTEXT lines; psycopg 3 has diag.message_primary; Django's
    wrapper keeps the driver's as __cause__)."""
    for candidate in (error, getattr(error, "__cause__", None)):
        diag = getattr(candidate, "diag", None)
        primary = getattr(diag, "message_primary", None) if diag is not None else None
        if primary:
            return primary
    return str(error).strip()


def _explain_query_error(error, manifest):
    code = _sqlstate(error)
    message = _driver_message(error)
    if code == "57014":
        return (
            "audience query exceeded its timeout of %d ms (statement_timeout); "
            "add an index or raise the condition's timeout"
            % manifest["audience"]["timeoutMs"]
        )
    if code == "25006":
        return "audience query tried to write in a read-only transaction: %s" % message
    if code == "42703":
        return (
            "audience query: %s (its rows must include the user's id, email and "
            "last-activity columns)" % message
        )
    if code == NOT_ONE_SELECT:
        return (
            "the audience query of loop %s is not one SELECT: PostgreSQL refused to "
            "run it (%s); loops.json no longer holds "
            "the condition skene init sealed: run `npx skene-django init`"
            % (json.dumps(manifest["id"]), message)
        )
    return "audience query of loop %s failed: %s" % (
        json.dumps(manifest["id"]),
        message,
    )


_LOCK_TIMEOUT_MS = 5000


def condition_transaction_sql(manifest):
    """Opens a condition's transaction; the same text as conditionTransactionSql() in
    TypeScript: read only, bounded in time and lock waits, names resolved in pg_catalog
    and the user table's schema only."""
    timeout_ms = max(1, int(manifest["audience"]["timeoutMs"]))
    table = manifest["userTable"]
    schema = table.split(".")[0] if "." in table else "public"
    return "; ".join(
        [
            "BEGIN",
            "SET TRANSACTION READ ONLY",
            "SET LOCAL statement_timeout = %d" % timeout_ms,
            "SET LOCAL lock_timeout = %d" % min(timeout_ms, _LOCK_TIMEOUT_MS),
            "SET LOCAL search_path = pg_catalog, %s, pg_temp" % quote_ident(schema),
            # The gate parsed the condition with standard strings; a cursor is planned
            # for all its rows, not the first 10 %.
            "SET LOCAL standard_conforming_strings = on",
            "SET LOCAL cursor_tuple_fraction = 1",
        ]
    )


def _json_value(value):
    """A jsonb value as Python data: drivers decode it, but Django registers a loader
    that returns the text (so JSONField can decode it itself), and Django's connection
    is the one the runtime uses."""
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _read_only(run, read):
    """Runs a read in its own transaction, ended by ROLLBACK (never COMMIT): the page
    only read, and a rollback also undoes any session setting made inside it
    (set_config(..., false), SET)."""
    run.execute(condition_transaction_sql(run.manifest))
    try:
        rows = read()
    except Exception as error:
        if _sqlstate(error) is None:
            raise
        raise RunHalt("failed", _explain_query_error(error, run.manifest))
    finally:
        try:
            run.execute("ROLLBACK")
        except Exception:  # the connection may be gone; the original error matters
            pass
    result = []
    for user_id, address, cycle, row in rows:
        if user_id is None:
            raise RunHalt("failed", "audience query returned a row without a user id")
        result.append(
            {
                "userId": user_id,
                "email": address,
                "cycle": cycle,
                "row": _json_value(row),
            }
        )
    return result


def _read_audience_page(run, after_id):
    """One page of the condition, through the cursor above: PostgreSQL runs one
    statement or none."""
    page_sql = condition_page_sql(run.manifest, after_id, run.manifest["pageSize"])

    def read():
        run.execute(SET_CONDITION_PAGE, (page_sql,))
        run.execute(OPEN_CONDITION_CURSOR)
        return run.execute(FETCH_CONDITION_PAGE).fetchall()

    return _read_only(run, read)


def _read_users_by_id(run, user_ids):
    if not user_ids:
        return []
    sql = users_by_id_sql(run.manifest, marker=lambda n: "%s")
    return _read_only(
        run, lambda: run.execute(sql, (array_literal(user_ids),)).fetchall()
    )


def _suppressed(run, addresses):
    if not addresses:
        return set()
    return set(
        r[0]
        for r in run.execute(
            SQL["suppressed"], ([a.lower() for a in addresses],)
        ).fetchall()
    )


def _active_flag(run, row):
    """The user's is_active value when the manifest names the column (None when
    unknown)."""
    column = run.manifest.get("isActiveColumn")
    value = (row or {}).get(column) if column else None
    return value if isinstance(value, bool) else None


def _intent(user, status, reason=None, not_before_ms=None, ledger_id=None):
    return {
        "user": user,
        "status": status,
        "reason": reason,
        "notBeforeMs": not_before_ms,
        "ledgerId": ledger_id,
    }


def _first_step_intents(run, page):
    """Step 0 decisions for a page of audience rows: an intent per new episode (email or
    holdout)."""
    manifest = run.manifest
    history = {}
    for user_id, cycle, status, created_ms in run.execute(
        SQL["episode_history"], (manifest["id"], [r["userId"] for r in page])
    ).fetchall():
        history.setdefault(user_id, []).append(
            {"cycle": cycle, "createdAtMs": float(created_ms), "status": status}
        )
    suppressed = _suppressed(run, [r["email"] for r in page if r["email"]])
    holdout = {"loopId": manifest["id"], "share": manifest.get("holdout") or 0}
    intents = []
    for row in page:
        candidate = dict(row, active=_active_flag(run, row["row"]))
        verdict = decide_first_step(
            candidate,
            history.get(row["userId"], []),
            (row["email"] or "").lower() in suppressed,
            manifest["frequencyCap"],
            run.now_ms,
            holdout,
        )
        if verdict == "claim":
            intents.append(_intent(row, "pending"))
        elif verdict == "held_out":
            intents.append(_intent(row, "held_out"))
        else:
            run.skip(verdict)
    return intents


def _read_users_in_claim(run, user_ids):
    """The users' current rows inside the claim's transaction, under the condition's
    timeout."""
    if run.dry_run:
        return _read_users_by_id(run, user_ids)
    if not user_ids:
        return []
    timeout_ms = int(run.manifest["audience"]["timeoutMs"])
    try:
        run.execute("SET LOCAL statement_timeout = %d" % max(1, timeout_ms))
        rows = run.execute(
            users_by_id_sql(run.manifest, marker=lambda n: "%s"),
            (array_literal(user_ids),),
        ).fetchall()
        run.execute("SET LOCAL statement_timeout TO DEFAULT")
    except Exception as error:
        if _sqlstate(error) is None:
            raise
        raise RunHalt("failed", _explain_query_error(error, run.manifest))
    return [
        {"userId": u, "email": a, "cycle": c, "row": _json_value(r)}
        for u, a, c, r in rows
    ]


def _recheck_episodes(run, episodes):
    """Re-reads the users (inside the claim) and decides each episode (user_id, cycle,
    ledger id or None)."""
    current = dict(
        (r["userId"], r) for r in _read_users_in_claim(run, [e[0] for e in episodes])
    )
    suppressed = _suppressed(run, [r["email"] for r in current.values() if r["email"]])
    intents = []
    for user_id, cycle, ledger_id in episodes:
        user = current.get(user_id)
        verdict = decide_later_step(
            {
                "episodeCycle": cycle,
                "currentCycle": user["cycle"] if user else None,
                "email": user["email"] if user else None,
                "suppressed": ((user or {}).get("email") or "").lower() in suppressed,
                "active": _active_flag(run, user["row"]) if user else None,
                "milestone": run.manifest["type"] == "milestone",
            }
        )
        row = {
            "userId": user_id,
            "email": user["email"] if user else None,
            "row": user["row"] if user else {},
            "cycle": cycle,
        }
        if verdict == "claim":
            intents.append(_intent(row, "pending", ledger_id=ledger_id))
        elif verdict in ("no_email", "invalid_email"):
            run.skip(verdict)
        else:
            intents.append(
                _intent(row, "exited", verdict[len("exited:") :], ledger_id=ledger_id)
            )
    return intents


def _apply_delivery_rules(run, intents):
    """The global cap and quiet hours, decided with the users locked: some emails become
    deferred rows."""
    manifest = run.manifest
    emails = [i for i in intents if i["status"] == "pending"]
    if not emails or not (manifest.get("globalCap") or manifest.get("quietHours")):
        return
    now = run.clock_now()
    now_ms = int(now.timestamp() * 1000)
    recent = {}
    if manifest.get("globalCap"):
        ids = sorted(set(i["user"]["userId"] for i in emails))
        if not run.dry_run:
            run.execute(SQL["lock_users"], (ids,)).fetchall()
        for user_id, at_ms in run.execute(SQL["recent_sends"], (ids, now)).fetchall():
            recent.setdefault(user_id, []).append(float(at_ms))
    for intent in emails:
        verdict = decide_delivery(
            manifest,
            intent["user"]["row"] or {},
            recent.get(intent["user"]["userId"], []),
            now_ms,
        )
        if verdict["kind"] == "defer":
            intent.update(
                status="deferred",
                reason=verdict["reason"],
                notBeforeMs=verdict["notBeforeMs"],
            )
        else:
            # an email claimed in this page counts against the next intent for the
            # same user
            recent.setdefault(intent["user"]["userId"], []).append(now_ms)


def _render_body(run, step, row):
    return email_body(
        run.manifest["id"],
        row["userId"],
        row["email"] or "",
        run.manifest["steps"][step],
        row["row"],
        run.manifest["unsubscribeUrl"],
        run.secret,
    )


def _group_rows(loop_id, rows, size):
    ordered = sorted(rows, key=lambda r: r["id"])
    groups = []
    for start in range(0, len(ordered), size):
        members = ordered[start : start + size]
        groups.append(
            {
                "key": batch_key(loop_id, [m["idempotencyKey"] for m in members]),
                "rows": members,
            }
        )
    return groups


def _ms_to_datetime(ms):
    return None if ms is None else datetime.fromtimestamp(ms / 1000.0, timezone.utc)


def _write_intents(run, step, intents):
    manifest = run.manifest
    now = run.clock_now()
    bodies = [
        _render_body(run, step, i["user"]) if i["status"] == "pending" else ""
        for i in intents
    ]
    fresh = [n for n, i in enumerate(intents) if i["ledgerId"] is None]
    updates = [n for n, i in enumerate(intents) if i["ledgerId"] is not None]
    written = []
    if fresh:
        columns = (
            [intents[n]["user"]["userId"] for n in fresh],
            [intents[n]["user"]["cycle"] for n in fresh],
            [intents[n]["user"]["email"] or "" for n in fresh],
            [
                idempotency_key(
                    manifest["id"],
                    step,
                    intents[n]["user"]["userId"],
                    intents[n]["user"]["cycle"],
                )
                for n in fresh
            ],
            [bodies[n] for n in fresh],
            [sha256_hex(bodies[n]) for n in fresh],
            [intents[n]["status"] for n in fresh],
            [intents[n]["reason"] for n in fresh],
            [_ms_to_datetime(intents[n]["notBeforeMs"]) for n in fresh],
        )
        written += run.execute(
            SQL["insert_claims"], (manifest["id"], step, run.run_id, now, now) + columns
        ).fetchall()
    if updates:
        columns = (
            [intents[n]["ledgerId"] for n in updates],
            [intents[n]["status"] for n in updates],
            [intents[n]["reason"] for n in updates],
            [_ms_to_datetime(intents[n]["notBeforeMs"]) for n in updates],
            [bodies[n] for n in updates],
            [sha256_hex(bodies[n]) for n in updates],
        )
        written += run.execute(
            SQL["update_deferred"], (run.run_id, now) + columns
        ).fetchall()
    return written


def _count_intent(run, status, reason):
    if status == "pending":
        run.summary["claimed"] += 1
    elif status == "held_out":
        run.skip("held_out")
    else:
        run.skip("%s:%s" % (status, reason or ""))


def _claim_intents(run, step, prepare):
    """Claims a page of intents in one transaction, committed before anything is sent.
    `prepare` runs inside it (later steps re-read the users there), so an email is
    committed with the state it was decided on."""
    manifest = run.manifest
    if run.dry_run:
        intents = prepare()
        _apply_delivery_rules(run, intents)
        for intent in intents:
            _count_intent(run, intent["status"], intent["reason"])
        return []

    def work():
        intents = prepare()
        _apply_delivery_rules(run, intents)
        written = _write_intents(run, step, intents) if intents else []
        emails = [
            {"id": i, "userId": u, "idempotencyKey": k, "body": b}
            for i, u, k, b, status, _ in written
            if status == "pending"
        ]
        groups = _group_rows(
            manifest["id"], emails, min(manifest["batchSize"], run.provider.max_batch)
        )
        run.execute(
            SQL["set_batch_keys"],
            (
                [m["id"] for g in groups for m in g["rows"]],
                [g["key"] for g in groups for _ in g["rows"]],
            ),
        )
        return intents, written, groups

    intents, written, groups = run.transaction(work)
    for row in written:
        _count_intent(run, row[4], row[5])
    if len(intents) > len(written):
        run.skip("already_claimed", len(intents) - len(written))
    return groups


def _classify(result):
    if result["kind"] == "network":
        return classify_answer(network_error=result["error"])
    return classify_answer(
        status=result["status"],
        error_name=error_name(result["json"]),
        retry_after=result["headers"].get("retry-after"),
        now_ms=time.time() * 1000,
    )


def _send_isolated(run, key, body, count):
    """One provider request; an exception of the provider (a header the mail library
    refuses, a bug) becomes a permanent answer for this group only, so one row's error
    never stops the others."""
    try:
        return run.provider.send(key, body, count)
    except Exception as error:  # noqa: BLE001
        # isolating one group from the rest of the run is the point
        run.log(
            "[skene] %s: provider raised %s: %s"
            % (run.manifest["id"], type(error).__name__, error)
        )
        return {
            "kind": "response",
            "status": 422,
            "headers": {},
            "json": {"name": "provider_error", "message": str(error)},
        }


MAX_SEND_ATTEMPTS = 20
# A retry that would wait longer is left to the next run (MAX_RETRY_WAIT_MS in
# statements.ts): the heartbeat keeps the lease alive while a run waits, so this bounds
# how long a run holds its loop.
MAX_RETRY_WAIT_MS = 5 * 60000


def _leave_for_next_run(run, ids, attempts, reason):
    """An outage is not a verdict on these emails: they stay pending (up to
    MAX_SEND_ATTEMPTS, or 24 h since the claim, Resend's idempotency window) and the run
    stops, so the next run, even within the same tick, sends them with the same key and
    bytes. Mirrors leaveForNextRun() in deliverGroups.ts."""
    rows = run.execute(
        SQL["note_retryable"], (attempts, reason, attempts, MAX_SEND_ATTEMPTS, ids)
    ).fetchall()
    failed = len([row for row in rows if row[0] == "failed"])
    run.summary["failed"] += failed
    if failed:
        run.log(
            "[skene] %s: %d email(s) failed after %d attempts or 24 h: %s"
            % (run.manifest["id"], failed, MAX_SEND_ATTEMPTS, reason)
        )
    if len(rows) - failed:
        raise RunHalt(
            "stopped",
            "provider unavailable: %s; %d email(s) left pending for the next run"
            % (reason, len(rows) - failed),
        )


def _deliver_group(run, group):
    """One request to a final state (sent, failed) or left pending with a reason (stop,
    long backoff)."""
    recovery = run.manifest["recovery"]
    ids = [r["id"] for r in group["rows"]]
    body = (
        batch_body([r["body"] for r in group["rows"]])
        if len(ids) > 1
        else group["rows"][0]["body"]
    )
    tries = 0
    while True:
        run.limiter.acquire()
        # After the limiter's wait: a run whose lease lapsed meanwhile leaves these rows
        # to the run that took over.
        _assert_lease(run)
        run.summary["requests"] += 1
        result = _send_isolated(run, group["key"], body, len(ids))
        if result["kind"] == "response":
            run.limiter.observe(result["headers"])
        verdict = _classify(result)
        outcome = verdict["outcome"]
        if outcome == "ok":
            sent_at = run.clock_now()
            run.execute(
                SQL["mark_sent"],
                (
                    sent_at,
                    sent_at,
                    tries + 1,
                    ids,
                    message_ids(result.get("json"), len(ids)),
                ),
            )
            run.summary["sent"] += len(ids)
            return
        if outcome == "retry" and tries >= recovery["retries"]:
            _leave_for_next_run(
                run,
                ids,
                tries + 1,
                "%s (after %d retries in this run)"
                % (verdict["reason"], recovery["retries"]),
            )
            return
        if outcome == "never":
            reason = verdict["reason"]
            run.execute(SQL["mark_failed"], (tries + 1, reason, ids))
            run.summary["failed"] += len(ids)
            run.log(
                "[skene] %s: %d email(s) failed: %s"
                % (run.manifest["id"], len(ids), reason)
            )
            return
        if outcome == "stop":
            run.execute(SQL["note_deferred"], (tries + 1, verdict["reason"], ids))
            raise RunHalt("stopped", verdict["reason"])
        delay = backoff_delay_ms(recovery, tries, verdict["retryAfterMs"], run.random)
        if verdict["retryAfterMs"] is not None:
            run.limiter.pause_for(verdict["retryAfterMs"])
        if delay > MAX_RETRY_WAIT_MS:
            _leave_for_next_run(
                run,
                ids,
                tries + 1,
                "%s (retry in %d ms left to the next run)" % (verdict["reason"], delay),
            )
            return
        run.sleep(delay / 1000.0)
        _renew_lease(run)
        tries += 1


def _deliver_groups(run, groups):
    for group in groups:
        _deliver_group(run, group)
        run.log(
            "[skene] %s: request %s · %d email(s) · sent %d failed %d"
            % (
                run.manifest["id"],
                group["key"][-12:],
                len(group["rows"]),
                run.summary["sent"],
                run.summary["failed"],
            )
        )


def _resume_pending(run):
    """Rows a dead or stopped run left pending: take them over batch by batch, send the
    stored bytes."""
    if run.dry_run or run.run_id is None:
        return
    loop_id = run.manifest["id"]
    while True:
        keys = [
            r[0]
            for r in run.execute(
                SQL["resumable_batches"], (loop_id, run.run_id, 20)
            ).fetchall()
        ]
        if not keys:
            return
        taken = run.execute(
            SQL["take_over_batches"], (run.run_id, loop_id, keys)
        ).fetchall()
        groups = {}
        for row_id, user_id, key, body, group_key in sorted(taken, key=lambda r: r[0]):
            groups.setdefault(group_key, []).append(
                {"id": row_id, "userId": user_id, "idempotencyKey": key, "body": body}
            )
        run.summary["resumed"] += len(taken)
        if taken:
            run.log(
                "[skene] %s: resuming %d pending email(s) left by an earlier run"
                % (loop_id, len(taken))
            )
        _deliver_groups(run, [{"key": k, "rows": v} for k, v in groups.items()])
        _renew_lease(run)


def _process_first_step(run):
    after_id = None
    while True:
        page = _read_audience_page(run, after_id)
        if not page:
            return
        run.summary["candidates"] += len(page)
        intents = _first_step_intents(run, page)
        _deliver_groups(run, _claim_intents(run, 0, lambda: intents))
        _renew_lease(run)
        if len(page) < run.manifest["pageSize"]:
            return
        after_id = page[-1]["userId"]


def _process_later_step(run, step):
    manifest = run.manifest
    params = {
        "loop": manifest["id"],
        "step": step - 1,
        "tick": run.scheduled_at,
        "delay": manifest["steps"][step]["delaySeconds"],
        "after_user": "",
        "after_cycle": "",
        "limit": manifest["pageSize"],
    }
    while True:
        episodes = [
            (user_id, cycle, None)
            for user_id, cycle in run.execute(
                SQL["later_step_candidates"], params
            ).fetchall()
        ]
        if not episodes:
            return
        run.summary["candidates"] += len(episodes)
        _deliver_groups(
            run, _claim_intents(run, step, lambda: _recheck_episodes(run, episodes))
        )
        _renew_lease(run)
        if len(episodes) < manifest["pageSize"]:
            return
        params["after_user"], params["after_cycle"] = episodes[-1][0], episodes[-1][1]


def _process_deferred(run):
    """Deferred emails whose time came: re-checked inside the claim, then sent, exited
    or deferred again."""
    manifest = run.manifest
    after_id = 0
    while True:
        due = run.execute(
            SQL["due_deferred"],
            (manifest["id"], run.now, after_id, manifest["pageSize"]),
        ).fetchall()
        if not due:
            return
        run.summary["candidates"] += len(due)
        by_step = {}
        for row_id, step, user_id, cycle in due:
            by_step.setdefault(step, []).append((user_id, cycle, row_id))
        for step in sorted(by_step):
            episodes = by_step[step]
            _deliver_groups(
                run, _claim_intents(run, step, lambda: _recheck_episodes(run, episodes))
            )
        _renew_lease(run)
        after_id = due[-1][0]
        if len(due) < manifest["pageSize"]:
            return


def conversion_lookback_seconds(manifest):
    """The conversion window plus the sequence's last delay: a held-out row stands in
    for every step."""
    last_delay = max([0] + [step["delaySeconds"] for step in manifest["steps"]])
    return (manifest.get("conversionWindowSeconds") or 14 * 86400) + last_delay


def _sweep_conversions(run):
    if run.dry_run or run.run_id is None:
        return
    manifest = run.manifest
    run.execute(
        conversion_sweep_sql(manifest, marker=lambda n: "%s"),
        (manifest["id"], run.clock_now(), conversion_lookback_seconds(manifest)),
    )
    if run.cur.rowcount:
        run.log(
            "[skene] %s: %d conversion(s) recorded" % (manifest["id"], run.cur.rowcount)
        )


def _preflight(manifest, secret, dry_run):
    problems = manifest_problems(manifest)
    if problems:
        return "invalid manifest: %s" % "; ".join(problems)
    unsealed = verify_seal(
        manifest["audience"]["query"], manifest["audience"].get("sha256")
    )
    if unsealed:
        return "condition refused (seal): %s" % unsealed
    if not dry_run and not secret:
        return (
            "SKENE_SECRET (or Django SECRET_KEY) is not set: it signs the unsubscribe "
            "link every email carries"
        )
    return None


def _work(run):
    try:
        _sweep_conversions(run)
        _resume_pending(run)
        _process_deferred(run)
        _process_first_step(run)
        for step in range(1, len(run.manifest["steps"])):
            _process_later_step(run, step)
    except RunHalt as halt:
        run.summary["status"], run.summary["reason"] = halt.status, halt.reason
    except (
        Exception
    ) as error:  # record it on the run row rather than leaving the lease to expire
        run.summary["status"], run.summary["reason"] = (
            "failed",
            "internal error: %s" % error,
        )
        if run.conn.closed:
            raise


def run_loop_once(
    manifest,
    connect,
    provider,
    secret=None,
    now=None,
    scheduled_at=None,
    dry_run=False,
    random=None,
    log=None,
    exclusive=True,
    ensure_schema=False,
    sleep=time.sleep,
    monotonic=time.monotonic,
    heartbeat=True,
):
    """One run of a loop; returns the summary dict (the same fields as the skene_run
    row).

    connect: a callable returning a connection: django_connection_factory() (Django's
    own), or a DB-API one. It is called twice: once for the run, once in the lease
    heartbeat's thread (heartbeat=False: the lease is renewed between pages only).
    exclusive=False skips the tick claim and the lease: only to prove the ledger alone
    prevents duplicates.
    """
    started = time.monotonic()
    now = now or datetime.now(timezone.utc)
    scheduled_at = scheduled_at or scheduled_tick(
        manifest["cron"], manifest["timezone"], now
    )
    summary = _empty_summary(manifest, scheduled_at)
    secret = secret if secret is not None else _default_secret()
    refusal = _preflight(manifest, secret, dry_run)
    if refusal:
        summary.update(status="failed", reason=refusal)
        return summary
    conn = _open(connect)
    run = None
    try:
        run = _Run(
            conn,
            manifest,
            provider,
            secret,
            now,
            dry_run,
            random or _random.random,
            log or (lambda line: None),
            sleep,
            RateLimiter(
                manifest["rateLimitPerSecond"], monotonic=monotonic, sleep=sleep
            ),
        )
        run.summary = summary
        if ensure_schema:
            run.execute(LEDGER_SQL)
        if dry_run:
            summary["status"] = "dry_run"
        else:
            try:
                run_id, skipped = _start_run(run, scheduled_at, exclusive)
            except Exception as error:
                if _sqlstate(error) != "42P01":
                    raise
                run.execute("ROLLBACK")
                summary.update(
                    status="failed",
                    reason="%s: %s" % (MISSING_TABLES, str(error).strip()),
                )
                return summary
            summary["run_id"] = run_id
            if skipped:
                summary.update(
                    status="skipped",
                    reason=skipped,
                    duration_ms=int((time.monotonic() - started) * 1000),
                )
                return summary
            run.run_id = run_id
            if heartbeat:
                run.heartbeat = _LeaseHeartbeat(
                    connect, run_id, manifest["leaseMs"], run.log
                )
        run.scheduled_at = scheduled_at
        _work(run)
        if run.heartbeat is not None:
            run.heartbeat.stop()
        if run.run_id is not None:
            summary["deferred"] = run.execute(
                SQL["count_deferred"], (run.run_id,)
            ).fetchone()[0]
        summary["duration_ms"] = int(round((time.monotonic() - started) * 1000))
        if run.run_id is not None:
            s = summary
            run.execute(
                SQL["finish_run"],
                (
                    s["status"],
                    s["reason"],
                    s["candidates"],
                    s["claimed"],
                    s["resumed"],
                    s["sent"],
                    json.dumps(s["skipped"]),
                    s["deferred"],
                    s["failed"],
                    s["duration_ms"],
                    run.run_id,
                ),
            )
        run.log(
            "[skene] %s: %s%s · candidates %d · claimed %d · sent %d · failed %d · "
            "deferred %d"
            % (
                manifest["id"],
                summary["status"],
                " (%s)" % summary["reason"] if summary["reason"] else "",
                summary["candidates"],
                summary["claimed"],
                summary["sent"],
                summary["failed"],
                summary["deferred"],
            )
        )
        return summary
    finally:
        if run is not None and run.heartbeat is not None:
            run.heartbeat.stop()
        conn.close()
