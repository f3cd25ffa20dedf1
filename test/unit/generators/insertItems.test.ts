import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertElement } from '../../../generators/python/insertItems';
import { parseModule, topLevelValue } from '../../../generators/python/pyTree';
import { applyEdits } from '../../../generators/python/textEdits';

async function insert(source: string, item: string, after?: number): Promise<string> {
  const module = await parseModule(source);
  const list = topLevelValue(module, 'X');
  assert.ok(list);
  return applyEdits(source, insertElement(source, list, item, after));
}

test('multi-line list: one new line at the element indentation, comments kept', async () => {
  const source = 'X = [\n    "a",\n    # local\n    "b",  # note\n]\n';
  assert.equal(await insert(source, '"c"'), 'X = [\n    "a",\n    # local\n    "b",  # note\n    "c",\n]\n');
});

test('multi-line list without a trailing comma gets one', async () => {
  assert.equal(await insert("X = [\n  'a',\n  'b'\n]\n", "'c'"), "X = [\n  'a',\n  'b',\n  'c',\n]\n");
});

test('insert after a given element (MIDDLEWARE after AuthenticationMiddleware)', async () => {
  assert.equal(await insert('X = [\n    "a",\n    "auth",\n    "z",\n]\n', '"m"', 1), 'X = [\n    "a",\n    "auth",\n    "m",\n    "z",\n]\n');
});

test('one-line list, tuple and one-element tuple', async () => {
  assert.equal(await insert('X = ["a", "b"]\n', '"c"'), 'X = ["a", "b", "c"]\n');
  assert.equal(await insert('X = ("a", "b",)\n', '"c"'), 'X = ("a", "b", "c",)\n');
  assert.equal(await insert('X = ("a",)\n', '"c"'), 'X = ("a", "c",)\n');
});

test('empty lists, one-line and multi-line', async () => {
  assert.equal(await insert('X = []\n', '"c"'), 'X = ["c"]\n');
  assert.equal(await insert('X = [\n]\n', '"c"'), 'X = [\n    "c",\n]\n');
});

test('CRLF files stay CRLF', async () => {
  assert.equal(await insert('X = [\r\n    "a",\r\n]\r\n', '"b"'), 'X = [\r\n    "a",\r\n    "b",\r\n]\r\n');
});

test('a one-line list the item would push past the line length becomes one element per line (linkding urls)', async () => {
  const source = 'urlpatterns = [path("", include((urlpatterns, "linkding")))]\n';
  const module = await parseModule(source);
  const list = topLevelValue(module, 'urlpatterns');
  assert.ok(list);
  const item = 'path("skene/", include("skene_retention.urls"))';
  assert.equal(applyEdits(source, insertElement(source, list, item, undefined, 88)), `urlpatterns = [\n    path("", include((urlpatterns, "linkding"))),\n    ${item},\n]\n`);
  assert.equal(applyEdits(source, insertElement(source, list, item, undefined, 120)), `urlpatterns = [path("", include((urlpatterns, "linkding"))), ${item}]\n`);
});
