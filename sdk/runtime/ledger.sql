-- Skene send ledger, tick claims and runs (PostgreSQL 12+).
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
