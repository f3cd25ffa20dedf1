// Runs the Python runtime's unit tests (the same golden vectors) with Debian's /usr/bin/python3.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { runProcess } from '../../helpers/runProcess';

test('Python runtime passes the shared golden vectors (unittest)', async () => {
  const dir = path.join(__dirname, 'python');
  const result = await runProcess('/usr/bin/python3', ['-m', 'unittest', 'discover', '-s', dir, '-v'], { timeoutMs: 60_000 });
  const ran = /Ran (\d+) tests?/.exec(result.stderr)?.[1];
  assert.deepEqual({ code: result.code, ok: /\nOK\s*$/.test(result.stderr), ran: Number(ran) >= 13 }, { code: 0, ok: true, ran: true }, result.stderr);
});

test('the Python module compiles on its own (as generated projects vendor it)', async () => {
  const file = path.join(__dirname, '..', '..', '..', 'templates', 'python', 'skene_runtime.py');
  const result = await runProcess('/usr/bin/python3', ['-m', 'py_compile', file], { timeoutMs: 30_000 });
  assert.deepEqual({ code: result.code, stderr: result.stderr }, { code: 0, stderr: '' });
});
