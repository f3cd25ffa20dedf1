// `skene report` on a ledger with known conversions: exact counts per step, the holdout compared at each step's
// time, lift with the Newcombe interval, the verdicts and the suggested config changes; the Python twin
// (the Django report view's loop_report) reads the same numbers.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runReport } from '../../cli/commands/report';
import type { CommandIo } from '../../cli/run/commandIo';
import { newcombeInterval } from '../../sdk/runtime/liftStats';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { runProcess } from '../helpers/runProcess';
import { makeTempDir, removeTempDir } from '../helpers/tempDir';
import { LOOPS_JSON, NOW, seed, writeReportProject } from './reportFixture';

function captureIo(env: Record<string, string>): { io: CommandIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CommandIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false, unicode: true, env, onStopSignal: () => () => undefined };
  return { io, out: () => out, err: () => err };
}

describe('skene report on a ledger with known conversions', () => {
  let cluster: PostgresCluster;
  let url: string;
  let dir: string;

  before(async () => {
    [cluster, dir] = await Promise.all([startPostgres(), makeTempDir('skene-report-')]);
    url = await cluster.createDatabase('report');
    await seed(url);
    writeReportProject(dir);
  });

  after(async () => {
    await cluster?.stop();
    if (dir) await removeTempDir(dir);
  });

  test('--json: exact counts, holdout per step, Newcombe intervals, verdicts and suggestions', async () => {
    const { io, out, err } = captureIo({ DATABASE_URL: url });
    const code = await runReport(dir, { json: true }, io, { now: NOW });
    assert.equal(code, 0, err());
    const report = JSON.parse(out());
    const step = (n: number, sent: number, sentConverted: number, sentOpen: number, held: number, heldConverted: number) => ({ step: n, sent, sentConverted, sentOpen, held, heldConverted });
    assert.deepEqual(report.loops[0].steps.map((s: Record<string, number>) => step(s.step as number, s.sent as number, s.sentConverted as number, s.sentOpen as number, s.held as number, s.heldConverted as number)), [
      step(0, 100, 40, 0, 50, 10),
      step(1, 61, 6, 1, 45, 5),
      step(2, 0, 0, 0, 40, 0),
    ]);
    assert.deepEqual(report.loops[0].steps.map((s: Record<string, unknown>) => [s.template, s.delayDays, s.rate, s.holdoutRate, s.ci, s.verdict]), [
      ['winback', 0, 0.4, 0.2, newcombeInterval(40, 100, 10, 50), 'lift'],
      ['nudge', 3, 6 / 61, 5 / 45, newcombeInterval(6, 61, 5, 45), 'no_lift'],
      ['last_call', 7, null, 0, null, 'no_sends'],
    ]);
    assert.deepEqual({ ciMethod: report.ciMethod, holdout: report.loops[0].holdout, window: report.loops[0].conversionWindowDays, suggestions: report.loops[0].suggestions }, {
      ciMethod: 'Newcombe hybrid score (Wilson), 95 %',
      holdout: 0.1,
      window: 14,
      suggestions: [
        "step 2 (day 3, template 'nudge') shows no lift over holdout (−1.3 pp, 95 % CI −14.7 pp to +10.5 pp): remove it or change its template.",
        '1 email(s) are still inside their conversion window: these rates may still rise.',
      ],
    });
  });

  test('text: one row per step and the suggestions', async () => {
    const { io, out } = captureIo({ DATABASE_URL: url });
    assert.equal(await runReport(dir, {}, io, { now: NOW }), 0);
    assert.deepEqual(out().split('\n').slice(0, 6), [
      'winback — Bring dormant users back',
      '  holdout 10 % · conversion window 14 d',
      '  step       template   sent  held out  re-engaged  rate    holdout rate  lift      95 % CI (pp)   verdict',
      '  1          winback    100   50        40          40.0 %  20.0 %        +20.0 pp  +4.1 … +33.1   lift',
      '  2 (day 3)  nudge      61    45        6           9.8 %   11.1 %        −1.3 pp   −14.7 … +10.5  no lift',
      '  3 (day 7)  last_call  0     40        0           —       0.0 %         —         —              nothing sent',
    ]);
  });

  test('without DATABASE_URL: a usage error naming the variable', async () => {
    const { io, err } = captureIo({});
    assert.deepEqual({ code: await runReport(dir, {}, io), err: err().split(':').slice(0, 2).join(':') }, { code: 2, err: 'skene report: DATABASE_URL is not set' });
  });

  test("the Python twin (the Django report view's loop_report) reads the same numbers", async () => {
    const loop = { id: 'winback', conversionWindowSeconds: 14 * 86_400, steps: [{ index: 0, delaySeconds: 0, template: 'winback' }, { index: 1, delaySeconds: 3 * 86_400, template: 'nudge' }, { index: 2, delaySeconds: 7 * 86_400, template: 'last_call' }] };
    const script = [
      'import json, sys, datetime, psycopg2',
      `sys.path.insert(0, ${JSON.stringify(path.resolve(__dirname, '../../templates/python'))})`,
      'import skene_runtime as rt',
      'job = json.loads(sys.argv[1])',
      'conn = psycopg2.connect(job["url"])',
      'now = datetime.datetime.fromisoformat(job["now"].replace("Z", "+00:00"))',
      'print(json.dumps(rt.loop_report(conn, job["loop"], job["project"], now)))',
    ].join('\n');
    const result = await runProcess('/usr/bin/python3', ['-c', script, JSON.stringify({ url, now: NOW.toISOString(), loop, project: LOOPS_JSON.project })], { timeoutMs: 30_000 });
    assert.equal(result.code, 0, result.stderr);
    const python = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    const { io, out } = captureIo({ DATABASE_URL: url });
    await runReport(dir, { json: true }, io, { now: NOW });
    const node = JSON.parse(out()).loops[0].steps as Array<Record<string, unknown>>;
    const pick = (s: Record<string, unknown>) => [s.step, s.sent, s.sentConverted, s.sentOpen, s.held, s.heldConverted, s.verdict, s.rate, s.holdoutRate];
    assert.deepEqual(python.map(pick), node.map(pick));
  });
});
