/**
 * The generated Django app's respect and measurement features on examples/saas (Django 3.2, PostgreSQL 15),
 * through Django's test Client against the migrated database: the one-click unsubscribe (POST without CSRF or
 * login, GET confirmation, tampered token rejected) → the next run sends them nothing; the Resend webhook
 * (Svix signature verified, bad or stale ones rejected) → bounces and complaints suppressed; the read-only
 * ledger admin and the staff report view.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { copyProject, djangoDbEnv, runDjangoPython, runManage } from '../helpers/django';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { removeTempDir } from '../helpers/tempDir';
import { SETUP, initProject, lastJson, ok, sql } from './initHarness';

const WEBHOOK_KEY = Buffer.from('resend-webhook-test-key-32-bytes');
const WEBHOOK_SECRET = `whsec_${WEBHOOK_KEY.toString('base64')}`;

/** Svix's signature, computed here independently of the code under test. */
function svixSignature(id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', WEBHOOK_KEY).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

const CLIENT = `${SETUP}from django.test.utils import setup_test_environment\nsetup_test_environment()\nfrom django.test import Client\n`;

const RUN_AT = (dayOffset: number) => `
import datetime as dt
from skene_retention.run import runtime_loop, email_provider
from skene_retention.skene_runtime import run_loop_once, django_connection_factory
loop = runtime_loop("dormant-users")
tick = dt.datetime(2030, 1, 1, 8, tzinfo=dt.timezone.utc) + dt.timedelta(days=${dayOffset})
summary = run_loop_once(loop, django_connection_factory(), email_provider(loop), now=tick, scheduled_at=tick)
`;

describe('the generated Django app: unsubscribe, webhook, admin and report', () => {
  let cluster: PostgresCluster;
  let fake: FakeResend;
  let dir: string;
  let url: string;
  let env: Record<string, string>;

  before(async () => {
    [cluster, dir, fake] = await Promise.all([startPostgres(), copyProject(), startFakeResend({ apiKey: 're_test' })]);
    url = await cluster.createDatabase('campaign_django');
    env = {
      ...djangoDbEnv(cluster, 'campaign_django'), DJANGO_SETTINGS_MODULE: 'config.settings.dev', RESEND_BASE_URL: fake.url, RESEND_API_KEY: 're_test',
      SKENE_UNSUBSCRIBE_URL: 'http://testserver/skene/unsubscribe/', RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET,
    };
    const init = await initProject(dir, { yes: true });
    assert.equal(init.code, 0, init.stdout + init.stderr);
    ok(await runManage(dir, ['migrate', '--noinput'], env, { timeoutMs: 120_000 }));
  });

  after(async () => {
    await Promise.all([cluster?.stop(), fake?.stop()]);
    if (dir) await removeTempDir(dir);
  });

  test('the ledger models keep makemigrations clean and the checks pass', async () => {
    assert.equal(ok(await runManage(dir, ['makemigrations', '--check', '--dry-run'], env)).stdout, 'No changes detected\n');
    assert.equal(ok(await runManage(dir, ['check'], env)).stdout, 'System check identified no issues (0 silenced).\n');
  });

  test('one-click unsubscribe: POST without CSRF or login suppresses, GET only asks, a tampered token is refused; the next run sends them nothing', async () => {
    const script = `${CLIENT}from datetime import timedelta
from urllib.parse import urlsplit
from django.db import connection
from django.utils import timezone
from accounts.models import User
for name in ("dana", "eli"):
    u = User.objects.create_user(name, name + "@example.com", "pw", first_name=name.title())
    User.objects.filter(pk=u.pk).update(last_activity_at=timezone.now() - timedelta(days=30))
${RUN_AT(0)}
first = summary
def link(email):
    with connection.cursor() as c:
        c.execute("SELECT body FROM skene_send_ledger WHERE email = %s", [email])
        header = json.loads(c.fetchone()[0])["headers"]["List-Unsubscribe"]
    parts = urlsplit(header.strip("<>"))
    return parts.path + "?" + parts.query
def suppressed():
    with connection.cursor() as c:
        c.execute("SELECT email, reason FROM skene_suppression ORDER BY email")
        return c.fetchall()
dana, eli = link("dana@example.com"), link("eli@example.com")
client = Client(enforce_csrf_checks=True)
tampered = client.post(dana[:-1] + ("A" if dana[-1] != "A" else "B"))
after_tampered = suppressed()
asked = client.get(eli)
after_get = suppressed()
done = client.post(dana)
after_post = suppressed()
User.objects.filter(username__in=["dana", "eli"]).update(last_activity_at=timezone.now() - timedelta(days=45))
${RUN_AT(40)}
print(json.dumps({"first": [first["sent"], first["skipped"]], "tampered": tampered.status_code, "afterTampered": after_tampered,
  "asked": [asked.status_code, b'<form method="post">' in asked.content], "afterGet": after_get,
  "done": [done.status_code, b"You are unsubscribed" in done.content], "afterPost": after_post,
  "next": [summary["sent"], summary["skipped"]]}))
`;
    const result = lastJson(await runDjangoPython(dir, script, env, { timeoutMs: 60_000 }));
    assert.deepEqual(result, {
      first: [2, {}],
      tampered: 400,
      afterTampered: [],
      asked: [200, true],
      afterGet: [],
      done: [200, true],
      afterPost: [['dana@example.com', 'unsubscribed']],
      next: [1, { suppressed: 1 }],
    });
    assert.deepEqual(fake.uniqueEmails().map((e) => e.to[0]).sort(), ['dana@example.com', 'eli@example.com', 'eli@example.com']);
  });

  test('the Resend webhook: a valid Svix signature suppresses bounces and complaints; a wrong or stale one is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const event = (type: string, to: string) => JSON.stringify({ type, created_at: '2030-01-01T00:00:00.000Z', data: { email_id: 'e1', to: [to] } });
    const cases = [
      { name: 'bounced', id: 'msg_1', ts: now, body: event('email.bounced', 'Bounce@Example.com'), sign: true },
      { name: 'complained', id: 'msg_2', ts: now, body: event('email.complained', 'spam@example.com'), sign: true },
      { name: 'delivered', id: 'msg_3', ts: now, body: event('email.delivered', 'fine@example.com'), sign: true },
      { name: 'wrong signature', id: 'msg_4', ts: now, body: event('email.bounced', 'forged@example.com'), sign: false },
      { name: 'stale', id: 'msg_5', ts: now - 3600, body: event('email.bounced', 'replayed@example.com'), sign: true },
    ].map((c) => ({ name: c.name, body: c.body, headers: { HTTP_SVIX_ID: c.id, HTTP_SVIX_TIMESTAMP: String(c.ts), HTTP_SVIX_SIGNATURE: c.sign ? svixSignature(c.id, c.ts, c.body) : svixSignature(c.id, c.ts, `${c.body} `) } }));
    const script = `${CLIENT}cases = json.loads(${JSON.stringify(JSON.stringify(cases))})
client = Client(enforce_csrf_checks=True)
print(json.dumps({c["name"]: client.post("/skene/webhooks/resend/", data=c["body"], content_type="application/json", **c["headers"]).status_code for c in cases}))
`;
    const statuses = lastJson(await runDjangoPython(dir, script, env, { timeoutMs: 60_000 }));
    const rows = await sql(url, "SELECT email, reason FROM skene_suppression WHERE reason <> 'unsubscribed' ORDER BY email");
    assert.deepEqual({ statuses, rows }, {
      statuses: { bounced: 200, complained: 200, delivered: 200, 'wrong signature': 401, stale: 401 },
      rows: [{ email: 'bounce@example.com', reason: 'bounced' }, { email: 'spam@example.com', reason: 'complained' }],
    });
  });

  test('fuzzing the unsubscribe and webhook views (seeded random bytes, the known hostile inputs): never a 500', async () => {
    const script = `${CLIENT}import base64, hashlib, hmac, random, time, urllib.parse
rng = random.Random(20261206)
key = base64.b64decode(${JSON.stringify(WEBHOOK_SECRET)}[len("whsec_"):])
client = Client(raise_request_exception=False)
statuses, failures = {}, []
def note(kind, response, detail):
    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    if response.status_code >= 500:
        failures.append([kind, repr(detail)[:200]])
def rbytes(limit):
    return bytes(rng.randrange(256) for _ in range(rng.randrange(limit)))
def sign(msg_id, ts, body):
    return "v1," + base64.b64encode(hmac.new(key, ("%s.%s." % (msg_id, ts)).encode("utf-8", "surrogateescape") + body, hashlib.sha256).digest()).decode()
def unsubscribe(query, method):
    note("unsubscribe", (client.post if method == "POST" else client.get)("/skene/unsubscribe/?" + query), query)
def webhook(body, msg_id, ts, signature):
    headers = {"HTTP_SVIX_ID": msg_id, "HTTP_SVIX_TIMESTAMP": ts, "HTTP_SVIX_SIGNATURE": signature}
    note("webhook", client.generic("POST", "/skene/webhooks/resend/", body, content_type="application/json", **headers), [body, msg_id, ts, signature])
now = str(int(time.time()))
for query in ["l=dormant-users&u=1&t=%C3%A9", "l=%C3%A9&u=%C3%A9&t=%C3%A9", "l=x&u=1&t=%FF%FE", "l=x&u=%00&t=%00", "t=", "l=&u=&t="]:
    unsubscribe(query, "GET"); unsubscribe(query, "POST")
for body in [b"[]", b'{"data":"x"}', b'"x"', b"null", b"1", b'{"type":1}', b'{"type":"email.bounced","data":{"to":123}}',
             b'{"type":"email.bounced","data":[]}', b'{"type":"email.bounced","data":{"to":[null, 1, "a\\u0000@x.y"]}}', b"\\xff\\xfe", b"{"]:
    webhook(body, "msg_fuzz", now, sign("msg_fuzz", now, body))
for signature in ["v1,\u00e9", "v1,", "\u00e9", "v1," + "A" * 5000, "v2,abc v1,\u00e9"]:
    webhook(b"{}", "msg_fuzz", now, signature)
for _ in range(300):
    fields = [(name, urllib.parse.quote_from_bytes(rbytes(40))) for name in ("l", "u", "t")]
    unsubscribe("&".join("%s=%s" % field for field in fields) if rng.random() < 0.8 else urllib.parse.quote_from_bytes(rbytes(80), safe="=&"), rng.choice(["GET", "POST"]))
for _ in range(300):
    body = rbytes(120) if rng.random() < 0.5 else json.dumps(rng.choice([[], {}, {"type": "email.bounced", "data": {"to": rbytes(10).decode("latin-1")}}, {"data": None}])).encode()
    msg_id, ts = rbytes(12).decode("latin-1"), rng.choice([now, rbytes(6).decode("latin-1"), "9" * 40, "-1"])
    signature = sign(msg_id, ts, body) if rng.random() < 0.5 else "v1," + rbytes(30).decode("latin-1")
    webhook(body, msg_id, ts, signature)
print(json.dumps({"failures": failures[:5], "requests": sum(statuses.values()), "codes": sorted(statuses)}))
`;
    const result = lastJson(await runDjangoPython(dir, script, env, { timeoutMs: 120_000 })) as { failures: unknown[]; requests: number; codes: number[] };
    assert.deepEqual({ failures: result.failures, requests: result.requests, codes: result.codes.filter((code) => code >= 500) }, { failures: [], requests: 628, codes: [] });
  });

  test('the ledger admin is read-only and the report view is for staff', async () => {
    const script = `${CLIENT}from accounts.models import User
admin = User.objects.create_superuser("boss", "boss@example.com", "pw")
client = Client()
anonymous = client.get("/skene/report/")
client.force_login(admin)
report = client.get("/skene/report/")
ledger = client.get("/admin/skene_retention/sendledger/")
add = client.get("/admin/skene_retention/sendledger/add/")
print(json.dumps({"anonymous": anonymous.status_code, "report": [report.status_code, b"<h2>dormant-users</h2>" in report.content, b"<td>winback</td>" in report.content or b"<td>re_engagement</td>" in report.content],
  "ledger": [ledger.status_code, b"dana@example.com" in ledger.content], "add": add.status_code}))
`;
    assert.deepEqual(lastJson(await runDjangoPython(dir, script, env, { timeoutMs: 60_000 })), {
      anonymous: 302,
      report: [200, true, true],
      ledger: [200, true],
      add: 403,
    });
  });
});
