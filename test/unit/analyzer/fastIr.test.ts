/**
 * The fast reader (server/core/django/python/fastIr) must give exactly the IR that tree-sitter + buildModuleIr
 * give, or decline. Compared on every .py of the fixture projects and the example, on tricky snippets, and
 * on damaged copies of real files (it must stop, and never accept what tree-sitter sees errors in).
 * Compound statements (class, def, if, try, blocks) are compared by start position only: their end is
 * where tree-sitter attaches trailing comments, which no reader uses.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import { buildModuleIr } from '../../../server/core/django/python/buildModuleIr';
import { fastModuleIr, whyDeclined } from '../../../server/core/django/python/fastIr/fastModuleIr';
import type { ModuleIr } from '../../../server/core/django/python/pyIr';
import { createPythonParser } from '../../../server/core/python/pythonParser';

const REPO = path.resolve(__dirname, '../../..');
const COMPOUND = new Set(['class', 'def', 'if', 'try', 'block']);

function pyFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === '__pycache__' ? [] : pyFiles(p);
    return e.name.endsWith('.py') ? [p] : [];
  });
}

function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (!value || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(o)) {
    const loc = v as { line: number; column: number };
    out[key] = key === 'loc' && COMPOUND.has(o.k as string) ? { line: loc.line, column: loc.column } : comparable(v);
  }
  return out;
}

describe('fast reader', () => {
  let parser: Parser;
  const treeSitter = (text: string): ModuleIr => {
    const tree = parser.parse(text);
    if (!tree) throw new Error('no tree');
    try {
      return buildModuleIr(tree, text);
    } finally {
      tree.delete();
    }
  };
  before(async () => {
    parser = await createPythonParser();
  });

  test('reads every fixture and example file as tree-sitter does', () => {
    const files = [...pyFiles(path.join(REPO, 'test/fixtures/projects')), ...pyFiles(path.join(REPO, 'examples'))];
    assert.ok(files.length > 100, `only ${files.length} files found`);
    const declined: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const fast = fastModuleIr(text);
      if (!fast) declined.push(`${path.relative(REPO, file)}: ${whyDeclined(text)}`);
      else assert.deepEqual(comparable(fast), comparable(treeSitter(text)), file);
    }
    // paperless-like `match engine:` is left to tree-sitter on purpose (a soft keyword the fast reader declines).
    assert.deepEqual(declined, ['test/fixtures/projects/db-helper-module/archive/settings/dbconfig.py: statement starting with match (line 13)']);
  });

  const SNIPPETS: Record<string, string> = {
    'settings shapes': [
      'from .base import *  # noqa', 'from . import a', 'from ..x.y import (b as c, d,)', 'import os, sys', 'import a.b as ab',
      'BASE_DIR = Path(__file__).resolve().parent.parent', 'X = Y = [*A, "b"]', 'D = {**E, "k": [1, 2.5, -3, 0x1F, 1_000]}',
      'A += ("x",)', 'L.insert(0, "y")', 'S = "a" "b" r"\\d" b"z"  # c', 'T = (\n    "a"  # part\n    "b"\n)', 'U = f"{x}" "y"',
      'V = f"{{literal}}"', 'W = "\\u00e9\\n\\x41"', 'N = not a', 'C = a if b else c', 'M = lambda r: r.x', 'Q = [x for x in y]',
      'R = {k: v for k, v in z}', 'Z = a[1:2], a[::2], a[1, 2]', 'P = 2 ** -1 + -x * ~y // 3 % 4 @ m | n ^ o & p << 1 >> 2',
      'a, b = 1, 2', '(c, d) = e', '[f] = g', 'h: int = 5', 'i: str', 'x.y = 1', 'd["k"]["j"] = 2', 'x = yield', 'del x',
      'E = os.environ.get("E", default="d")', 'F = env.db("DATABASE_URL", default="postgres:///x")', 'print("hi")', 'pass; x = 1;',
      'if DEBUG:\n    A = 1\nelif X:\n    A = 2\nelse:\n    A = 3', 'try:\n    from .local import *\nexcept ImportError:\n    pass\nelse:\n    B = 1\nfinally:\n    C = 2',
      'for a in b:\n    X.append(a)\nelse:\n    pass', 'with open(f) as g:\n    G = 1', 'while x:\n    break', 'x = 1 + \\\n    2', 'T2 = (1,)\nT3 = ()',
    ].join('\n'),
    'models shapes': [
      'from django.db import models', '', '', '@register', 'class A(Base, models.Model, metaclass=M, *bases, **kw):',
      '    """Doc."""', '    name = models.CharField(max_length=10, db_column="n", null=True)  # c',
      '    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", to=f(x=1, null=True))',
      '    bad = models.CharField(max_length=1),', '    both = a = models.IntegerField(default=0)', '    other = None',
      '    kind = f(x=1).g(y=2)', '    typed: models.ForeignKey[A, B] = (', '        models.ForeignKey(A, on_delete=models.CASCADE, null=True)', '    )', '    gen = f(x for x in y)', '    objects = Manager()', '', '    class Meta:',
      '        db_table = "a_table"', '        abstract = True', '', '    @property', '    def full(self):',
      '        return f"{self.a} {self.b}"', '', '    async def later(self): return self.add_periodic_task(1)', '', '',
      'async def top():', '    app.add_periodic_task(1)', '', 'class B: pass', 'class C:', '    x = 1', '# trailing', '',
    ].join('\n'),
    'manage.py': 'import os\nimport sys\n\n\ndef main():\n    """Run."""\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings")\n    try:\n        from django.core.management import execute_from_command_line\n    except ImportError as exc:\n        raise ImportError("x") from exc\n    execute_from_command_line(sys.argv)\n\n\nif __name__ == "__main__":\n    main()\n',
    'function parameters': 'def f(a, b: int = 1, /, c=None, *rest, key: str = "k", **extra) -> dict:\n    return {"a": a}\n\ndef g(*, only=os.environ):\n    pass\n\ndef h(\n    x,  # c\n    y=[1, 2],\n):\n    pass\n\nclass K:\n    def m(self, a=1):\n        pass\n    @property\n    def DEBUG(self, z=2):\n        return z\n',
    'no final newline': 'X = 1\nclass A:\n    y = 2',
    'crlf': 'X = 1\r\nclass A:\r\n    y = "a"\r\n',
    'non-ascii columns': 'x = "é€😀"; y = 2\nz = {"😀": "€"}\n',
  };
  for (const [name, text] of Object.entries(SNIPPETS)) {
    test(`snippet: ${name}`, () => {
      const fast = fastModuleIr(text);
      assert.ok(fast, `declined: ${whyDeclined(text)}`);
      assert.deepEqual(comparable(fast), comparable(treeSitter(text)));
    });
  }

  test('declines what only tree-sitter can read (errors, Python 2, soft keywords, tabs)', () => {
    const texts = [
      'class A(:\n    x = 1\n', 'print "x"\n', 'x = (1,\n', 'def f(:\n    return ]\n\nclass B(Base):\n    pass\n', 'a@b = 1\n',
      'match x:\n    case 1:\n        pass\n', 'if x:\n\ty = 1\n', 'x = "unterminated\n', 'type X = int\n', 'exec "code"\n', 'except E, e:\n',
      'x = 10L\n', 'f(a) = 1\n', 'from def import x\n',
    ];
    for (const text of texts) assert.equal(fastModuleIr(text), null, text);
  });

  test('damaged files: it always stops, and what it accepts is what tree-sitter reads cleanly', () => {
    const files = pyFiles(path.join(REPO, 'test/fixtures/projects')).slice(0, 60);
    const junk = ['(', ')', '[', ']', '{', '}', '"', "'", '"""', ':', '\n', '\n    ', '\\', '#', ',', '=', 'def ', 'class ', '@', ' if ', 'x'];
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let accepted = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (let i = 0; i < 10; i++) {
        const at = Math.floor(random() * text.length);
        const damaged = text.slice(0, at) + (junk[Math.floor(random() * junk.length)] as string) + text.slice(at + (i % 2));
        const fast = fastModuleIr(damaged);
        if (!fast) continue;
        const ts = treeSitter(damaged);
        if (ts.errorLines.length) continue; // a grammar error inside a skipped body: tree-sitter notices, we need not
        accepted++;
        assert.deepEqual(comparable(fast), comparable(ts), `${file} damaged at ${at}`);
      }
    }
    assert.ok(accepted > 50, `only ${accepted} damaged variants were accepted`);
  });
});
