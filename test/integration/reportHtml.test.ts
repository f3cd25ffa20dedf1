// `skene report --html FILE` on a seeded PostgreSQL ledger, opened in headless Debian chromium: the file loads
// nothing from the network (its CSP forbids it and no request leaves the page), every chart draws its marks,
// and each number in the page equals `skene report --json`'s.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runReport } from '../../cli/commands/report';
import type { CommandIo } from '../../cli/run/commandIo';
import type { Report } from '../../server/core/report/reportTypes';
import { CHROMIUM_ARGS } from '../e2e/workbench';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { makeTempDir, removeTempDir } from '../helpers/tempDir';
import { queryRows } from '../unit/runtime/fixtures/runtimeFixture';
import { addRows, at, NOW, seed, writeReportProject, type Row } from './reportFixture';

function captureIo(env: Record<string, string>): { io: CommandIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CommandIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false, unicode: true, env, onStopSignal: () => () => undefined };
  return { io, out: () => out, err: () => err };
}

/** Later cohorts (days 1 and 2), so the lift has a history; a loop id with a "</script>" to prove the data cannot break out. */
async function seedHistory(url: string): Promise<void> {
  const repeat = (count: number, row: Row) => Array<Row>(count).fill(row);
  await addRows(url, 'winback', [
    ...repeat(30, { step: 0, status: 'sent', at: at(1), activity: at(2) }),
    ...repeat(20, { step: 0, status: 'sent', at: at(1), activity: at(-30) }),
    ...repeat(8, { step: 0, status: 'held_out', at: at(1), activity: at(3) }),
    ...repeat(22, { step: 0, status: 'held_out', at: at(1), activity: at(-30) }),
    ...repeat(10, { step: 0, status: 'sent', at: at(2), activity: at(-30) }),
  ]);
  await queryRows(url, `INSERT INTO skene_run (loop_id, runtime, status, expires_at, skipped) VALUES
    ('winback', 'node', 'succeeded', now(), '{"no_email": 3, "suppressed": 2, "frequency_cap": 4, "deferred:quiet_hours": 5, "already_sent": 90, "held_out": 30}'),
    ('winback', 'python', 'succeeded', now(), '{"exited:suppressed": 1, "deferred:capped": 1, "exited:returned": 6}')`);
  await queryRows(url, `INSERT INTO skene_send_ledger (loop_id, step, user_id, cycle, email, idempotency_key, body, body_hash, status, reason, created_at)
    VALUES ('winback', 1, 'x1', '1', 'x1@example.com', 'x-k1', '', repeat('0', 64), 'exited', 'returned', $1),
           ('winback', 2, 'x2', '1', 'x2@example.com', 'x-k2', '', repeat('0', 64), 'failed', 'rejected: 422 validation_error', $1)`, [at(5)]);
}

describe('skene report --html in headless chromium', { timeout: 120_000 }, () => {
  let cluster: PostgresCluster;
  let url: string;
  let dir: string;
  let browser: Browser;
  let json: Report;
  let page: Page;
  const requests: string[] = [];
  const violations: string[] = [];

  before(async () => {
    [cluster, dir] = await Promise.all([startPostgres(), makeTempDir('skene-report-html-')]);
    url = await cluster.createDatabase('reporthtml');
    await seed(url);
    await seedHistory(url);
    writeReportProject(dir);
    const asJson = captureIo({ DATABASE_URL: url });
    assert.equal(await runReport(dir, { json: true }, asJson.io, { now: NOW }), 0, asJson.err());
    json = JSON.parse(asJson.out()) as Report;
    const asHtml = captureIo({ DATABASE_URL: url });
    assert.equal(await runReport(dir, { html: path.join(dir, 'report.html') }, asHtml.io, { now: NOW }), 0, asHtml.err());
    assert.match(asHtml.out(), /Wrote .*report\.html\n$/);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`file://${path.join(dir, 'report.html')}`);
    await page.waitForSelector('body[data-rendered="true"]');
    if (process.env.SKENE_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.SKENE_SCREENSHOTS, 'report-html.png'), fullPage: true });
  });

  after(async () => {
    await browser?.close();
    await cluster?.stop();
    if (dir) await removeTempDir(dir);
  });

  test('one self-contained file: inline script and styles, a CSP with no network source, nothing requested, no CSP refusal', () => {
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; img-src data:; font-src data:; style-src 'nonce-[^']+'; script-src 'nonce-[^']+'/);
    assert.deepEqual({ requests, violations }, { requests: [], violations: [] });
  });

  test("the steps table shows the JSON report's numbers", async () => {
    const cells = await page.$$eval('section.loop[data-loop="winback"] table.steps tbody tr', (rows) =>
      rows.map((row) => Object.fromEntries([...row.querySelectorAll('td[data-field]')].map((td) => [td.getAttribute('data-field'), td.getAttribute('data-value') ?? td.textContent]))));
    const loop = json.loops[0]!;
    assert.deepEqual(cells, loop.steps.map((s) => ({
      step: s.step ? `${s.step + 1} (day ${s.delayDays})` : '1', template: s.template, sent: String(s.sent), held: String(s.held), sentConverted: String(s.sentConverted),
      rate: String(s.rate), holdoutRate: String(s.holdoutRate), lift: String(s.lift), ci: JSON.stringify(s.ci), verdict: s.verdict,
    })));
    // The visible text is the text report's formatting of the same numbers.
    assert.deepEqual(await page.$$eval('table.steps tbody tr:first-child td', (tds) => tds.map((td) => td.textContent)), ['1', 'winback', '160', '80', '70', '43.8 %', '22.5 %', '+21.3 pp', '+8.5 … +32.2', 'lift']);
  });

  test('skips by reason and ledger outcomes equal the JSON history', async () => {
    const skips = await page.$$eval('table.skips tbody tr', (rows) => rows.map((row) => [row.getAttribute('data-reason'), Number(row.querySelector('td[data-field="count"]')!.getAttribute('data-value'))]));
    assert.deepEqual(skips, json.loops[0]!.history!.skips.map((s) => [s.reason, s.count]));
    assert.deepEqual(skips, [['suppressed', 3], ['invalid_email', 3], ['capped', 5], ['quiet_hours', 5], ['returned', 6]]);
    const outcomes = await page.$$eval('table.ledger-outcomes tbody tr', (rows) => rows.map((row) => row.getAttribute('data-outcome')));
    assert.deepEqual(outcomes, ['1:exited:returned', '2:failed:rejected: 422 validation_error']);
  });

  test('every chart draws its marks: bars per day, a line and dots per group, the lift band, funnel and skip bars', async () => {
    const marks = await page.$$eval('figure.chart', (figures) => Object.fromEntries(figures.map((f) => [f.getAttribute('data-chart'), {
      rects: f.querySelectorAll('svg [aria-label="rect"] rect, svg [aria-label="bar"] rect').length,
      lines: f.querySelectorAll('svg [aria-label="line"] path').length,
      dots: f.querySelectorAll('svg [aria-label="dot"] circle').length,
      areas: f.querySelectorAll('svg [aria-label="area"] path').length,
    }])));
    const history = json.loops[0]!.history!;
    const sendDays = history.days.filter((d) => d.sent > 0).length;
    const cohortPoints = history.days.filter((d) => d.step === 0).reduce((n, d) => n + (d.sent ? 1 : 0) + (d.held ? 1 : 0), 0);
    assert.deepEqual(marks, {
      'sends-per-day': { rects: sendDays, lines: 0, dots: 0, areas: 0 },
      reengaged: { rects: 0, lines: 2, dots: cohortPoints, areas: 0 },
      lift: { rects: 0, lines: 1, dots: history.lift.filter((p) => p.ci).length, areas: 1 },
      funnel: { rects: 6, lines: 0, dots: 0, areas: 0 },
      skips: { rects: history.skips.length, lines: 0, dots: 0, areas: 0 },
    });
  });

  test('the lift over time ends at the report\'s step 1 lift; the days add up to the step totals', () => {
    const loop = json.loops[0]!;
    const history = loop.history!;
    const last = history.lift.at(-1)!;
    assert.deepEqual([last.sent, last.sentConverted, last.held, last.heldConverted, last.lift, last.ci], [loop.steps[0]!.sent, loop.steps[0]!.sentConverted, loop.steps[0]!.held, loop.steps[0]!.heldConverted, loop.steps[0]!.lift, loop.steps[0]!.ci]);
    for (const step of loop.steps) assert.equal(history.days.filter((d) => d.step === step.step).reduce((n, d) => n + d.sent, 0), step.sent);
    assert.deepEqual(history.lift.map((p) => p.day), ['2024-06-01', '2024-06-02', '2024-06-03']);
  });

  test('the suggestions are the JSON report\'s', async () => {
    assert.deepEqual(await page.$$eval('.suggestions li', (items) => items.map((li) => li.textContent)), json.loops[0]!.suggestions);
  });
});
