/**
 * Every statement the engine runs against its own tables. The Python runtime has the same statements
 * with %s markers (templates/python/skene_runtime.py); keep the two in step.
 */

/** Runs whose lease ran out are dead: mark them so their tick and their pending rows can be taken over. */
export const EXPIRE_STALE_RUNS = `UPDATE skene_run SET status = 'expired', reason = 'lease expired', finished_at = now()
WHERE loop_id = $1 AND status = 'running' AND expires_at < now()`;

/** The lease: at most one running exclusive run per loop (partial unique index skene_run_one_live). */
export const INSERT_RUN = `INSERT INTO skene_run (loop_id, scheduled_at, runtime, exclusive, status, expires_at)
VALUES ($1, $2, $3, $4, 'running', now() + $5 * interval '1 millisecond')
ON CONFLICT (loop_id) WHERE status = 'running' AND exclusive DO NOTHING
RETURNING id`;

export const INSERT_SKIPPED_RUN = `INSERT INTO skene_run (loop_id, scheduled_at, runtime, exclusive, status, reason, expires_at, finished_at, duration_ms)
VALUES ($1, $2, $3, $4, 'skipped', $5, now(), now(), 0)
RETURNING id`;

/**
 * First claim of a tick wins; a tick whose run died (expired) or stopped with emails left pending (provider
 * down, rate limit, auth) may be taken over, so a re-run within the same tick finishes them.
 */
export const CLAIM_TICK = `INSERT INTO skene_tick (loop_id, scheduled_at, run_id) VALUES ($1, $2, $3)
ON CONFLICT (loop_id, scheduled_at) DO UPDATE SET run_id = EXCLUDED.run_id, claimed_at = now()
WHERE EXISTS (SELECT 1 FROM skene_run r WHERE r.id = skene_tick.run_id AND r.status IN ('expired', 'stopped'))
RETURNING run_id`;

export const RENEW_LEASE = `UPDATE skene_run SET expires_at = now() + $2 * interval '1 millisecond'
WHERE id = $1 AND status = 'running'
RETURNING id`;

export const FINISH_RUN = `UPDATE skene_run SET status = $2, reason = $3, finished_at = now(), candidates = $4, claimed = $5,
resumed = $6, sent = $7, skipped = $8::jsonb, deferred = $9, failed = $10, duration_ms = $11
WHERE id = $1`;

/** Step-0 history of a page of users: which cycles already started, how (status), and when (frequency cap). */
export const EPISODE_HISTORY = `SELECT user_id, cycle, status, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms
FROM skene_send_ledger WHERE loop_id = $1 AND step = 0 AND user_id = ANY($2::text[])`;

export const SUPPRESSED = `SELECT email FROM skene_suppression WHERE email = ANY($1::text[])`;

/**
 * The claim: rows committed before any provider call; a row someone else has is silently not inserted.
 * Rows are emails (`pending`) or records without one (`held_out`, `exited`, `deferred` + not_before);
 * $4 is the run's clock, so frozen-clock runs write the times they reason about.
 */
export const INSERT_CLAIMS = `INSERT INTO skene_send_ledger (loop_id, step, user_id, cycle, email, idempotency_key, body, body_hash, run_id,
    status, reason, not_before, created_at, updated_at)
SELECT $1, $2, c.user_id, c.cycle, c.email, c.idempotency_key, c.body, c.body_hash, $3, c.status, c.reason, c.not_before, $4, $4
FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[])
    AS c(user_id, cycle, email, idempotency_key, body, body_hash, status, reason, not_before)
ON CONFLICT DO NOTHING
RETURNING id, user_id, idempotency_key, body, status, reason`;

/** A deferred row whose time came: it becomes an email (pending), exits, or waits again. Only one runner wins it. */
export const UPDATE_DEFERRED = `UPDATE skene_send_ledger AS s SET status = v.status, reason = v.reason, not_before = v.not_before,
    body = v.body, body_hash = v.body_hash, run_id = $1, updated_at = $2
FROM unnest($3::bigint[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[])
    AS v(id, status, reason, not_before, body, body_hash)
WHERE s.id = v.id AND s.status = 'deferred'
RETURNING s.id, s.user_id, s.idempotency_key, s.body, s.status, s.reason`;

/** Deferred rows of a loop that are due, in id order (keyset). */
export const DUE_DEFERRED = `SELECT id, step, user_id, cycle FROM skene_send_ledger
WHERE loop_id = $1 AND status = 'deferred' AND not_before <= $2 AND id > $3
ORDER BY id
LIMIT $4`;

/**
 * Serialises claims for the same users across loops and runners until COMMIT, so the global cap counts
 * what the other claim committed. Transaction-level (released at COMMIT/ROLLBACK): PgBouncer-safe,
 * unlike session advisory locks. Locks are taken in user id order, so two claims cannot deadlock.
 */
export const LOCK_USERS = `SELECT pg_advisory_xact_lock(1397444165, hashtext(s.u)) FROM (SELECT u FROM unnest($1::text[]) AS u ORDER BY u) AS s`;

/** Every loop's emails (pending or sent) to these users in the 7 days before $2: the global cap's input. */
export const RECENT_SENDS = `SELECT user_id, (extract(epoch FROM COALESCE(sent_at, updated_at)) * 1000)::float8 AS at_ms
FROM skene_send_ledger
WHERE user_id = ANY($1::text[]) AND status IN ('pending', 'sent')
  AND COALESCE(sent_at, updated_at) > $2::timestamptz - interval '7 days'`;

export const SET_BATCH_KEYS = `UPDATE skene_send_ledger AS s SET batch_key = v.batch_key
FROM unnest($1::bigint[], $2::text[]) AS v(id, batch_key)
WHERE s.id = v.id`;

const NOT_OWNED_BY_LIVE_RUN = `NOT EXISTS (SELECT 1 FROM skene_run r WHERE r.id = s.run_id AND r.status = 'running' AND r.expires_at > now())`;

/** Pending batches left by dead or stopped runs (never rows of a live run). */
export const RESUMABLE_BATCHES = `SELECT DISTINCT s.batch_key FROM skene_send_ledger s
WHERE s.loop_id = $1 AND s.status = 'pending' AND s.batch_key IS NOT NULL AND s.run_id IS DISTINCT FROM $2
  AND ${NOT_OWNED_BY_LIVE_RUN}
ORDER BY s.batch_key
LIMIT $3`;

export const TAKE_OVER_BATCHES = `UPDATE skene_send_ledger s SET run_id = $2, updated_at = now()
WHERE s.loop_id = $1 AND s.status = 'pending' AND s.batch_key = ANY($3::text[]) AND ${NOT_OWNED_BY_LIVE_RUN}
RETURNING s.id, s.user_id, s.idempotency_key, s.body, s.batch_key`;

export const MARK_SENT = `UPDATE skene_send_ledger AS s SET status = 'sent', sent_at = $4, updated_at = $4,
attempts = s.attempts + $2, last_error = NULL, provider_message_id = v.message_id
FROM unnest($1::bigint[], $3::text[]) AS v(id, message_id)
WHERE s.id = v.id AND s.status = 'pending'`;

export const MARK_FAILED = `UPDATE skene_send_ledger SET status = 'failed', updated_at = now(), attempts = attempts + $2, last_error = $3
WHERE id = ANY($1::bigint[]) AND status = 'pending'`;

/**
 * A retryable failure (network, 5xx, 429) after this run's retries: the rows stay pending for the next run,
 * which resends the same key and bytes, unless they reached the cap (MAX_SEND_ATTEMPTS, or 24 h since the
 * claim: Resend remembers an Idempotency-Key for 24 h, so a later resend could be a duplicate). Returns the
 * status of each row.
 */
export const NOTE_RETRYABLE = `UPDATE skene_send_ledger SET updated_at = now(), attempts = attempts + $2, last_error = $3,
  status = CASE WHEN attempts + $2 >= $4 OR created_at < now() - interval '24 hours' THEN 'failed' ELSE status END
WHERE id = ANY($1::bigint[]) AND status = 'pending'
RETURNING status`;

export const MAX_SEND_ATTEMPTS = 20;

/**
 * A retry that would wait longer than this (a long backoff, a large retry-after) is left to the next run
 * rather than slept on. The heartbeat keeps the lease alive while a run waits, so this bounds how long a
 * run holds its loop, not the lease.
 */
export const MAX_RETRY_WAIT_MS = 5 * 60_000;

/** Left pending for a later run (stop): count the attempts and say why. */
export const NOTE_DEFERRED = `UPDATE skene_send_ledger SET updated_at = now(), attempts = attempts + $2, last_error = $3
WHERE id = ANY($1::bigint[]) AND status = 'pending'`;

export const COUNT_DEFERRED = `SELECT count(*)::int AS n FROM skene_send_ledger WHERE run_id = $1 AND status = 'pending'`;

/**
 * Sequence candidates for step $2 + 1: step $2 sent, the tick of the run that sent the step-0 email (its
 * sent_at when that run is gone) at least $4 seconds before this run's tick $3, next step not claimed yet.
 * Ticks, not send times: a 3-day step goes out on the third daily run, not the fourth because step 0 left
 * a few seconds after 09:00. Keyset over (user_id, cycle).
 */
export const LATER_STEP_CANDIDATES = `SELECT prev.user_id, prev.cycle FROM skene_send_ledger prev
JOIN skene_send_ledger first ON first.loop_id = prev.loop_id AND first.step = 0 AND first.user_id = prev.user_id
  AND first.cycle = prev.cycle AND first.status = 'sent'
LEFT JOIN skene_run r ON r.id = first.run_id
WHERE prev.loop_id = $1 AND prev.step = $2 AND prev.status = 'sent'
  AND COALESCE(r.scheduled_at, first.sent_at) <= $3::timestamptz - $4 * interval '1 second'
  AND NOT EXISTS (SELECT 1 FROM skene_send_ledger nxt WHERE nxt.loop_id = prev.loop_id AND nxt.step = $2 + 1
    AND nxt.user_id = prev.user_id AND nxt.cycle = prev.cycle)
  AND (prev.user_id, prev.cycle) > ($5, $6)
ORDER BY prev.user_id, prev.cycle
LIMIT $7`;
