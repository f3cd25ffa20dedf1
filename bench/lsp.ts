/**
 * Benchmark: the language server as an editor feels it, through the real bundled server over stdio.
 * - keystroke -> diagnostics: 300 single-character edits of the seed config (warm), median/p95, beside
 *   typescript-language-server on the same incremental edits in the same run;
 * - code lens latency over the user model on a 2 MB models.py (cold with the first analysis, warm, after an edit);
 * - server start -> first diagnostics of the config: with the compiler's code cache written by an earlier start
 *   (every start but the first after an install), and without it, each beside a trivial LSP server (node + the
 *   LSP library, publishing no diagnostics) started in the same rounds, so a loaded machine slows all alike;
 * - server RSS after 10,000 edits, started with SERVER_NODE_FLAGS (as editors launch it) and without them.
 * Timings use the server started with SERVER_NODE_FLAGS too, and a code cache folder of this run's own (warmed once).
 * Run: `node scripts/build.mjs && npx tsx bench/lsp.ts`. Writes bench/results/lsp.json.
 * SKENE_BENCH_FIRST_DIAGNOSTICS_ONLY=1 runs the start-up rounds alone (about a minute) and prints them;
 * SKENE_BENCH_COMPARE_SERVER=<other build>/dist/server.js adds that server to the same rounds (before/after a change).
 * Targets: p95 <= 25 ms and <= 0.5 x typescript-language-server's p95; first diagnostics <= 1.5 s (max, with the
 * cache); RSS <= 200 MB.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { SERVER_NODE_FLAGS } from '../server/protocol';
import { stats, type Stats } from './stats';

const root = path.resolve(__dirname, '..');
const SERVER = path.join(root, 'dist/server.js');
const TSLS = path.join(root, 'node_modules/.bin/typescript-language-server');
const EDITS = Number(process.env.SKENE_BENCH_EDITS ?? 300);
const MEMORY_EDITS = Number(process.env.SKENE_BENCH_MEMORY_EDITS ?? 10_000);
/** The server as editors launch it (the extension passes SERVER_NODE_FLAGS as execArgv; docs show them for Neovim). */
const SERVER_ARGS = [...SERVER_NODE_FLAGS, SERVER, '--stdio'];
/** Another build's dist/server.js (e.g. a worktree of an older commit) whose start joins the first-diagnostics rounds. */
const COMPARE_SERVER = process.env.SKENE_BENCH_COMPARE_SERVER;
const seed = readFileSync(path.join(root, 'test/fixtures/configs/seed.skene.config.ts'), 'utf8');
/** The compile cache (cli/startup/compileCache.ts) of this run's servers, apart from the user's own. */
const CODE_CACHE_DIR = mkdtempSync(path.join(tmpdir(), 'skene-bench-lsp-cache-'));
/** The baseline of start-up: Node and the LSP library answering initialize and publishing empty diagnostics. */
const TRIVIAL_SERVER = `
const lsp = require(${JSON.stringify(path.join(root, 'node_modules/vscode-languageserver/node'))});
const connection = lsp.createConnection(new lsp.StreamMessageReader(process.stdin), new lsp.StreamMessageWriter(process.stdout));
connection.onInitialize(() => ({ capabilities: { textDocumentSync: lsp.TextDocumentSyncKind.Incremental } }));
connection.onDidOpenTextDocument((p) => connection.sendDiagnostics({ uri: p.textDocument.uri, version: p.textDocument.version, diagnostics: [] }));
connection.listen();
`;


/** A workspace: a copy of examples/saas with the seed config (and optionally a big models.py). */
function makeWorkspace(bigModels = false): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'skene-bench-lsp-'));
  cpSync(path.join(root, 'examples/saas'), dir, { recursive: true, filter: (source) => !source.includes('__pycache__') });
  writeFileSync(path.join(dir, 'skene.config.ts'), seed);
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'esnext', moduleResolution: 'bundler', noEmit: true } }));
  if (bigModels) writeFileSync(path.join(dir, 'accounts/models.py'), twoMegabyteModels(readFileSync(path.join(dir, 'accounts/models.py'), 'utf8')));
  return dir;
}

/** The real accounts/models.py followed by generated models until the file is 2 MB. */
function twoMegabyteModels(original: string): string {
  const parts = [original];
  let size = original.length;
  for (let i = 0; size < 2_000_000; i++) {
    const model = `\n\nclass Record${i}(models.Model):\n    """Generated for the benchmark."""\n\n    owner = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="records_${i}")\n    title = models.CharField(max_length=200)\n    created_at = models.DateTimeField(auto_now_add=True)\n    amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)\n`;
    parts.push(model);
    size += model.length;
  }
  return parts.join('');
}

interface Client {
  child: ChildProcessWithoutNullStreams;
  connection: ProtocolConnection;
  /** Next publishDiagnostics for `uri` whose version is `version` (or any, when the server sends none). */
  diagnostics: (uri: string, version?: number) => Promise<PublishDiagnosticsParams>;
  stop: () => void;
}

function startClient(command: string, args: string[], cwd: string, codeCacheDir = CODE_CACHE_DIR): Client {
  const child = spawn(command, args, { cwd, stdio: 'pipe', env: { ...process.env, SKENE_CACHE_DIR: codeCacheDir } });
  child.stderr.resume();
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters: Array<{ uri: string; version?: number; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    const index = waiters.findIndex((w) => w.uri === params.uri && (w.version === undefined || params.version === undefined || params.version === w.version));
    if (index >= 0) waiters.splice(index, 1)[0]?.resolve(params);
  });
  connection.listen();
  return {
    child,
    connection,
    diagnostics: (uri, version) => new Promise((resolve) => waiters.push({ uri, ...(version === undefined ? {} : { version }), resolve })),
    stop: () => {
      connection.dispose();
      child.kill();
    },
  };
}

async function initialize(client: Client, workspace: string, initializationOptions?: unknown): Promise<void> {
  await client.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'bench' }],
    capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
    initializationOptions,
  });
  await client.connection.sendNotification('initialized', {});
}

/** Edit n: type 'x' (even n) or delete it again (odd n), at a moving place inside the opinion string. */
function editAt(n: number): TextDocumentContentChangeEvent {
  const line = seed.split('\n').findIndex((l) => l.includes('Detect dormant'));
  const character = seed.split('\n')[line]?.indexOf('Detect dormant') ?? 0;
  const at = { line, character: character + 1 + (Math.floor(n / 2) % 40) };
  if (n % 2 === 0) return { range: { start: at, end: at }, text: 'x' };
  return { range: { start: at, end: { line, character: at.character + 1 } }, text: '' };
}

/** Sends `count` edits after version `from`, each waited until its diagnostics arrive; returns per-edit ms. */
async function typeEdits(client: Client, uri: string, from: number, count: number, versioned: boolean): Promise<number[]> {
  const samples: number[] = [];
  for (let n = 0; n < count; n++) {
    const version = from + n + 1;
    const published = client.diagnostics(uri, versioned ? version : undefined);
    const started = performance.now();
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [editAt(n)] });
    await published;
    samples.push(performance.now() - started);
  }
  return samples;
}

async function openConfig(client: Client, uri: string): Promise<void> {
  const first = client.diagnostics(uri);
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: seed } });
  await first;
}

async function benchKeystrokes(command: string, args: string[], options?: unknown): Promise<Stats> {
  const workspace = makeWorkspace();
  const client = startClient(command, args, workspace);
  try {
    await initialize(client, workspace, options);
    const uri = pathToFileURL(path.join(workspace, 'skene.config.ts')).href;
    await openConfig(client, uri);
    const warm = 20;
    await typeEdits(client, uri, 1, warm, command === process.execPath);
    // An even number of warm-up edits leaves the text at the seed again, so editAt(0..) starts from it.
    return stats(await typeEdits(client, uri, 1 + warm, EDITS, command === process.execPath));
  } finally {
    client.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** CPU time (user + system) the process used so far, in ms; NaN where /proc is missing. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  } catch {
    return Number.NaN;
  }
}

/**
 * Start -> the config's first publishDiagnostics of one fresh server process: wall ms, and the CPU ms the server
 * used by then (wall time on a loaded machine mostly measures the neighbours; CPU time much less so).
 */
async function firstDiagnosticsOnce(args: string[], codeCacheDir: string): Promise<{ wallMs: number; cpuMs: number }> {
  const workspace = makeWorkspace();
  const started = performance.now();
  const client = startClient(process.execPath, args, workspace, codeCacheDir);
  try {
    await initialize(client, workspace);
    await openConfig(client, pathToFileURL(path.join(workspace, 'skene.config.ts')).href);
    return { wallMs: performance.now() - started, cpuMs: cpuMs(client.child.pid ?? 0) };
  } finally {
    client.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Runs one server until it wrote its code cache (a few seconds after start), as the first start after an install does. */
async function warmCodeCache(): Promise<void> {
  const workspace = makeWorkspace();
  const client = startClient(process.execPath, SERVER_ARGS, workspace);
  const hasCache = () => existsSync(CODE_CACHE_DIR) && readdirSync(CODE_CACHE_DIR, { recursive: true }).some((f) => String(f).endsWith('.v8cache'));
  try {
    await initialize(client, workspace);
    await openConfig(client, pathToFileURL(path.join(workspace, 'skene.config.ts')).href);
    for (let waited = 0; !hasCache() && waited < 30_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    if (!hasCache()) throw new Error(`the server wrote no code cache into ${CODE_CACHE_DIR}`);
  } finally {
    client.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

interface FirstDiagnostics {
  withCodeCache: Stats;
  withoutCodeCache: Stats;
  trivialServer: Stats;
  /** Wall-time medians over the trivial server's median. */
  ratioWithCodeCache: number;
  ratioWithoutCodeCache: number;
  /** The server process's CPU time until its first diagnostics (median ms), with and without the cache and the trivial server's. */
  cpuMedianMs: { withCodeCache: number; withoutCodeCache: number; trivialServer: number; compared?: number };
  /** SKENE_BENCH_COMPARE_SERVER's runs, when set. */
  compared?: { server: string; stats: Stats; ratio: number };
}

/** Interleaved rounds: ours with the cache, ours without one (an empty cache folder each), the trivial server. */
async function benchFirstDiagnostics(rounds = 7): Promise<FirstDiagnostics> {
  const warm: Array<{ wallMs: number; cpuMs: number }> = [];
  const cold: Array<{ wallMs: number; cpuMs: number }> = [];
  const trivial: Array<{ wallMs: number; cpuMs: number }> = [];
  const compared: Array<{ wallMs: number; cpuMs: number }> = [];
  for (let i = 0; i < rounds; i++) {
    warm.push(await firstDiagnosticsOnce(SERVER_ARGS, CODE_CACHE_DIR));
    const empty = mkdtempSync(path.join(tmpdir(), 'skene-bench-lsp-nocache-'));
    try {
      cold.push(await firstDiagnosticsOnce(SERVER_ARGS, empty));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    trivial.push(await firstDiagnosticsOnce([...SERVER_NODE_FLAGS, '-e', TRIVIAL_SERVER], CODE_CACHE_DIR));
    if (COMPARE_SERVER) compared.push(await firstDiagnosticsOnce([...SERVER_NODE_FLAGS, COMPARE_SERVER, '--stdio'], CODE_CACHE_DIR));
  }
  const wall = (runs: Array<{ wallMs: number }>) => stats(runs.map((r) => r.wallMs), 0);
  const cpu = (runs: Array<{ cpuMs: number }>) => stats(runs.map((r) => r.cpuMs), 0).medianMs;
  const [withCodeCache, withoutCodeCache, trivialServer] = [wall(warm), wall(cold), wall(trivial)];
  const ratio = (s: Stats) => Number((s.medianMs / trivialServer.medianMs).toFixed(2));
  return {
    withCodeCache,
    withoutCodeCache,
    trivialServer,
    ratioWithCodeCache: ratio(withCodeCache),
    ratioWithoutCodeCache: ratio(withoutCodeCache),
    cpuMedianMs: { withCodeCache: cpu(warm), withoutCodeCache: cpu(cold), trivialServer: cpu(trivial), ...(COMPARE_SERVER ? { compared: cpu(compared) } : {}) },
    ...(COMPARE_SERVER ? { compared: { server: COMPARE_SERVER, stats: wall(compared), ratio: ratio(wall(compared)) } } : {}),
  };
}

async function benchCodeLens(): Promise<{ modelsPyBytes: number; coldMs: number; warm: Stats; afterEditMs: number; lens: string }> {
  const workspace = makeWorkspace(true);
  const file = path.join(workspace, 'accounts/models.py');
  const text = readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).href;
  const client = startClient(process.execPath, SERVER_ARGS, workspace);
  try {
    const request = async () => {
      const started = performance.now();
      const lenses = await client.connection.sendRequest<Array<{ command?: { title: string } }>>('textDocument/codeLens', { textDocument: { uri } });
      return { ms: performance.now() - started, title: lenses[0]?.command?.title ?? '(none)' };
    };
    const coldStart = performance.now();
    await initialize(client, workspace);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    const cold = await request();
    const coldMs = performance.now() - coldStart;
    const warm: number[] = [];
    for (let i = 0; i < 50; i++) warm.push((await request()).ms);
    // A keystroke inside the User class: the lens request waits for the incremental re-parse.
    const at = text.indexOf('company = models');
    const position = { line: text.slice(0, at).split('\n').length - 1, character: 4 };
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: position, end: position }, text: 'x' }] });
    const afterEdit = await request();
    return { modelsPyBytes: Buffer.byteLength(text), coldMs: Number(coldMs.toFixed(1)), warm: stats(warm), afterEditMs: Number(afterEdit.ms.toFixed(1)), lens: cold.title };
  } finally {
    client.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number((Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024).toFixed(1));
}

interface MemoryRun {
  nodeFlags: string[];
  edits: number;
  rssAfterOpenMb: number;
  rssAfterEditsMb: number;
  editsPerSecond: number;
}

async function benchMemory(nodeFlags: string[]): Promise<MemoryRun> {
  const workspace = makeWorkspace();
  const client = startClient(process.execPath, [...nodeFlags, SERVER, '--stdio'], workspace);
  try {
    await initialize(client, workspace);
    const uri = pathToFileURL(path.join(workspace, 'skene.config.ts')).href;
    await openConfig(client, uri);
    await typeEdits(client, uri, 1, 200, true);
    const rssAfterOpenMb = rssMb(client.child.pid ?? 0);
    const started = performance.now();
    await typeEdits(client, uri, 201, MEMORY_EDITS, true);
    const seconds = (performance.now() - started) / 1000;
    return { nodeFlags, edits: MEMORY_EDITS, rssAfterOpenMb, rssAfterEditsMb: rssMb(client.child.pid ?? 0), editsPerSecond: Math.round(MEMORY_EDITS / seconds) };
  } finally {
    client.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await warmCodeCache();
  if (process.env.SKENE_BENCH_FIRST_DIAGNOSTICS_ONLY === '1') {
    console.log(JSON.stringify(await benchFirstDiagnostics(), null, 2));
    return;
  }
  const ours = await benchKeystrokes(process.execPath, SERVER_ARGS);
  console.log(`skene (stdio, push) keystroke -> diagnostics, ${ours.n} edits: median ${ours.medianMs} ms, p95 ${ours.p95Ms} ms, max ${ours.maxMs} ms`);
  const tsls = await benchKeystrokes(TSLS, ['--stdio'], { tsserver: { path: path.join(root, 'node_modules/typescript/lib/tsserver.js') } });
  console.log(`typescript-language-server 4.4.1 on the same edits: median ${tsls.medianMs} ms, p95 ${tsls.p95Ms} ms`);
  const first = await benchFirstDiagnostics();
  console.log(`server start -> first diagnostics: median ${first.withCodeCache.medianMs} ms, max ${first.withCodeCache.maxMs} ms (${first.ratioWithCodeCache}x the trivial LSP server's ${first.trivialServer.medianMs} ms); without a code cache: median ${first.withoutCodeCache.medianMs} ms, max ${first.withoutCodeCache.maxMs} ms (${first.ratioWithoutCodeCache}x); server CPU until then: ${first.cpuMedianMs.withCodeCache} ms with the cache, ${first.cpuMedianMs.withoutCodeCache} ms without, trivial server ${first.cpuMedianMs.trivialServer} ms`);
  const lens = await benchCodeLens();
  console.log(`code lens on a ${(lens.modelsPyBytes / 1e6).toFixed(1)} MB models.py: cold (start + analysis) ${lens.coldMs} ms, warm median ${lens.warm.medianMs} ms, after an edit ${lens.afterEditMs} ms ("${lens.lens}")`);
  const memory = await benchMemory(SERVER_NODE_FLAGS);
  const plainNode = await benchMemory([]);
  for (const run of [memory, plainNode]) {
    console.log(`RSS (node ${run.nodeFlags.join(' ') || 'without flags'}): ${run.rssAfterOpenMb} MB after opening, ${run.rssAfterEditsMb} MB after ${run.edits} more edits (${run.editsPerSecond} edits/s)`);
  }
  const result = {
    benchmark: 'lsp',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    keystrokeToDiagnostics: { ours, typescriptLanguageServer: tsls },
    firstDiagnostics: first,
    codeLens: lens,
    memory,
    memoryWithoutNodeFlags: plainNode,
    targets: {
      p95AtMost25ms: ours.p95Ms <= 25,
      atMostHalfOfTypescriptLanguageServerP95: ours.p95Ms <= 0.5 * tsls.p95Ms,
      firstDiagnosticsAtMost1500ms: first.withCodeCache.maxMs <= 1500,
      rssAtMost200MbAfter10kEdits: memory.rssAfterEditsMb <= 200,
    },
  };
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results/lsp.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result.targets));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(CODE_CACHE_DIR, { recursive: true, force: true }));
