/**
 * The CLI as users get it: `npm pack` of packages/cli (its prepack builds the bundles), published to a local
 * verdaccio with no uplinks, then `npx skene-django init --yes --agents`, `check` and `run --once --dry-run` in a
 * fresh copy of examples/saas placed at backend/ of a repository, migrated by Django on a throw-away PostgreSQL.
 * The commands AGENTS.md tells agents to run are run as written from the repository root. No editor involved.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { djangoDbEnv, EXAMPLE_PROJECT_DIR, runManage } from '../helpers/django';
import { startLocalRegistry, type LocalRegistry } from '../helpers/localRegistry';
import { startPostgres, type PostgresCluster } from '../helpers/postgres';
import { runProcess } from '../helpers/runProcess';
import { makeTempDir, removeTempDir } from '../helpers/tempDir';

const PACKAGE_DIR = path.resolve(__dirname, '../../packages/cli');
const VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
const NPM_TIMEOUT = 300_000;

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

describe('the skene-django npm package, installed from a registry', () => {
  let registry: LocalRegistry;
  let cluster: PostgresCluster;
  let work: string;
  let pack: PackResult;
  let repo: string;
  let backend: string;

  const npx = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) => runProcess('npx', args, { cwd, env: { ...registry.npmEnv, ...env }, timeoutMs: NPM_TIMEOUT });

  before(async () => {
    [registry, cluster, work] = await Promise.all([startLocalRegistry(), startPostgres(), makeTempDir('skene-npm-')]);
    const packed = await runProcess('npm', ['pack', '--json', '--pack-destination', work], { cwd: PACKAGE_DIR, env: registry.npmEnv, timeoutMs: NPM_TIMEOUT });
    assert.equal(packed.code, 0, packed.stderr);
    pack = (JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as PackResult[])[0]!;
    const published = await runProcess('npm', ['publish', path.join(work, pack.filename)], { env: registry.npmEnv, timeoutMs: NPM_TIMEOUT });
    assert.equal(published.code, 0, published.stderr);
    // A repository whose Django project lives in backend/, as many do.
    repo = path.join(work, 'repo');
    backend = path.join(repo, 'backend');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    cpSync(EXAMPLE_PROJECT_DIR, backend, { recursive: true, filter: (source) => !source.includes('__pycache__') });
  });

  after(async () => {
    await Promise.all([registry?.stop(), cluster?.stop()]);
    if (work) await removeTempDir(work);
  });

  test('the tarball holds only what runs: the bundles and their files, no dependencies, no install scripts', () => {
    const paths = pack.files.map((f) => f.path);
    const outside = paths.filter((p) => !p.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(p));
    assert.deepEqual(outside, []);
    assert.deepEqual(paths.filter((p) => /\.map$|(^|\/)(test|tests|fixtures|docs|examples|node_modules)\//.test(p)), []);
    assert.ok(paths.includes('dist/cli.js') && paths.includes('dist/cli.mjs') && paths.includes('dist/libpg-query.wasm'));
    assert.ok(paths.length < 200, `${paths.length} files`);
    const manifest = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    assert.equal(manifest.dependencies, undefined);
    const root = JSON.parse(readFileSync(path.resolve(PACKAGE_DIR, '../../package.json'), 'utf8')) as { version: string };
    assert.equal(VERSION, root.version, 'the CLI package and the extension share a version');
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(manifest.scripts?.[hook], undefined, hook);
  });

  test('npx skene-django: init --yes --agents, check and run --once --dry-run on a fresh project', async () => {
    const version = await npx(['skene-django', '--version'], repo);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), VERSION);

    const init = await npx(['skene-django', 'init', '--yes', '--agents'], backend);
    assert.equal(init.code, 0, init.stderr + init.stdout);
    assert.match(init.stdout, /Wrote \d+ file\(s\)\. Next: python manage\.py migrate, then npx skene-django check\./);

    const check = await npx(['skene-django', 'check'], backend);
    assert.equal(check.code, 0, check.stderr + check.stdout);

    const env = djangoDbEnv(cluster, await cluster.createDatabase('saas').then(() => 'saas'));
    const migrate = await runManage(backend, ['migrate', '--noinput'], env, { timeoutMs: NPM_TIMEOUT });
    assert.equal(migrate.code, 0, migrate.stderr);

    const run = await npx(['skene-django', 'run', '--once', '--dry-run'], backend, { DATABASE_URL: env.DATABASE_URL });
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /dormant-users: candidates/);
    assert.match(run.stdout, /dry_run|would claim/);
  });

  test('the commands AGENTS.md and the Cursor rule give work as written from the repository root', async () => {
    const agents = readFileSync(path.join(backend, 'AGENTS.md'), 'utf8');
    const rule = readFileSync(path.join(backend, '.cursor/rules/skene.mdc'), 'utf8');
    const checkCommand = /`(cd backend && npx --yes skene-django check --format json)`/.exec(agents)?.[1];
    assert.ok(checkCommand, agents);
    assert.ok(rule.includes(`\`${checkCommand}\``), 'the rule names the same command');
    const result = await runProcess('sh', ['-c', checkCommand], { cwd: repo, env: registry.npmEnv, timeoutMs: NPM_TIMEOUT });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { issues: Array<{ severity: string }> };
    assert.deepEqual(report.issues.filter((issue) => issue.severity === 'error'), []);
  });

  test('installed, the command is `skene`', async () => {
    const prefix = path.join(work, 'installed');
    const install = await runProcess('npm', ['install', '--prefix', prefix, `skene-django@${VERSION}`], { env: registry.npmEnv, timeoutMs: NPM_TIMEOUT });
    assert.equal(install.code, 0, install.stderr);
    const skene = await runProcess(path.join(prefix, 'node_modules/.bin/skene'), ['--help'], { cwd: backend });
    assert.equal(skene.code, 0, skene.stderr);
    assert.match(skene.stdout, /Usage: skene \[options\] \[command\]/);
  });
});
