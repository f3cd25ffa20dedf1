/**
 * Benchmark: checking the seed skene.config.ts after a one-character edit, warm, over 500 edits (median, p95),
 * side by side with typescript-language-server publishing its diagnostics for the same edits — the editor
 * experience a TS config file gets today. Run: `npx tsx bench/configCheck.ts`. Writes bench/results/configCheck.json.
 * Targets: our p95 <= 20 ms and <= 0.5 x typescript-language-server's p95.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkConfig } from '../server/core/config/checkConfig';
import { loadSqlParser } from '../server/core/config/sql/sqlParser';
import { exampleProjectModel } from '../test/fixtures/exampleProjectModel';
import { stats, type Stats } from './stats';

const root = path.resolve(__dirname, '..');
const EDITS = Number(process.env.SKENE_BENCH_EDITS ?? 500);
const seed = readFileSync(path.join(root, 'test/fixtures/configs/seed.skene.config.ts'), 'utf8');

/** Version n of the file: one character typed (odd n) or deleted again (even n), at a moving place in the opinion. */
function edits(count: number): string[] {
  const anchor = seed.indexOf('Detect dormant') + 1;
  return Array.from({ length: count }, (_, n) => {
    if (n % 2 === 1) return seed;
    const at = anchor + ((n / 2) % 40);
    return seed.slice(0, at) + 'x' + seed.slice(at);
  });
}


async function benchOurs(texts: string[]): Promise<Stats> {
  await loadSqlParser();
  const project = exampleProjectModel();
  const options = { existingTemplates: ['skene/emails/re_engagement.html'], now: new Date('2025-03-03T12:00:00Z') };
  for (let i = 0; i < 50; i++) checkConfig(texts[i % texts.length] ?? seed, project, options);
  const samples: number[] = [];
  for (const text of texts) {
    const started = performance.now();
    checkConfig(text, project, options);
    samples.push(performance.now() - started);
  }
  return stats(samples, 3);
}

/** A minimal LSP client over stdio: enough for initialize, didOpen/didChange and publishDiagnostics. */
class LspClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private diagnosticsWaiter: ((uri: string) => void) | null = null;

  constructor(private readonly child: ReturnType<typeof spawn>) {
    child.stdout?.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1] ?? 0);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as { id?: number; method?: string; result?: unknown; params?: { uri?: string } };
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: { id?: number; method?: string; result?: unknown; params?: { uri?: string } }): void {
    if (message.method === 'textDocument/publishDiagnostics') this.diagnosticsWaiter?.(message.params?.uri ?? '');
    else if (message.method && message.id !== undefined) this.send({ jsonrpc: '2.0', id: message.id, result: null });
    else if (message.id !== undefined) this.pending.get(message.id)?.(message.result);
  }

  send(message: object): void {
    const body = JSON.stringify(message);
    this.child.stdin?.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  request(method: string, params: object): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: object): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves at the next publishDiagnostics for `uri` (the server publishes once per settled version). */
  nextDiagnostics(uri: string): Promise<void> {
    return new Promise((resolve) => {
      this.diagnosticsWaiter = (published) => {
        if (published !== uri) return;
        this.diagnosticsWaiter = null;
        resolve();
      };
    });
  }
}

async function benchTypescriptLanguageServer(texts: string[]): Promise<Stats | null> {
  const binary = path.join(root, 'node_modules/.bin/typescript-language-server');
  if (!existsSync(binary)) return null;
  const workspace = mkdtempSync(path.join(tmpdir(), 'skene-bench-tsls-'));
  const file = path.join(workspace, 'skene.config.ts');
  writeFileSync(file, seed);
  writeFileSync(path.join(workspace, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'esnext', moduleResolution: 'bundler', noEmit: true } }));
  const child = spawn(binary, ['--stdio'], { cwd: workspace, stdio: ['pipe', 'pipe', 'ignore'] });
  const client = new LspClient(child);
  const uri = pathToFileURL(file).href;
  try {
    await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(workspace).href, capabilities: { textDocument: { publishDiagnostics: {} } }, initializationOptions: { tsserver: { path: path.join(root, 'node_modules/typescript/lib/tsserver.js') } } });
    client.notify('initialized', {});
    const first = client.nextDiagnostics(uri);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: seed } });
    await first;
    const samples: number[] = [];
    for (const [n, text] of texts.entries()) {
      const published = client.nextDiagnostics(uri);
      const started = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version: n + 2 }, contentChanges: [{ text }] });
      await published;
      samples.push(performance.now() - started);
    }
    return stats(samples, 3);
  } finally {
    child.kill();
    rmSync(workspace, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const texts = edits(EDITS);
  const ours = await benchOurs(texts);
  console.log(`skene checkConfig, ${ours.n} one-character edits (warm): median ${ours.medianMs} ms, p95 ${ours.p95Ms} ms, max ${ours.maxMs} ms`);
  const baseline = await benchTypescriptLanguageServer(texts);
  if (baseline) console.log(`typescript-language-server publishDiagnostics: median ${baseline.medianMs} ms, p95 ${baseline.p95Ms} ms`);
  else console.log('typescript-language-server: baseline unavailable (add it as a devDependency to compare)');
  const result = {
    benchmark: 'configCheck',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    edits: EDITS,
    ours,
    typescriptLanguageServer: baseline ?? 'baseline unavailable',
    targets: {
      p95AtMost20ms: ours.p95Ms <= 20,
      atMostHalfOfBaselineP95: baseline ? ours.p95Ms <= 0.5 * baseline.p95Ms : null,
    },
  };
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results/configCheck.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
