import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, pageHtml, scriptJson } from '../../../webview/pageShell';

test('embedded data cannot close its script element or open a comment, and parses back to the same value', () => {
  const value = { id: '</script><script>alert(1)</script>', note: '<!-- & -->' };
  const text = scriptJson(value);
  assert.doesNotMatch(text, /[<>&]/);
  assert.deepEqual(JSON.parse(text), value);
});

test('the CSP: nothing by default, scripts and styles by nonce only, the webview origin when given', () => {
  assert.equal(contentSecurityPolicy({ nonce: 'n1' }), "default-src 'none'; img-src data:; font-src data:; style-src 'nonce-n1'; script-src 'nonce-n1'; frame-src 'self'; base-uri 'none'; form-action 'none'");
  assert.equal(contentSecurityPolicy({ nonce: 'n1', cspSource: 'https://x.vscode-cdn.net', allowInlineStyles: true }), "default-src 'none'; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net data:; style-src https://x.vscode-cdn.net 'unsafe-inline'; script-src 'nonce-n1'; frame-src 'self'; base-uri 'none'; form-action 'none'");
});

test('inline assets cannot end their element early; every script carries the nonce', () => {
  const html = pageHtml({ title: 'a <b>', nonce: 'n1', scripts: [{ inline: 'let s = "</script>"' }, { uri: 'https://x/a.js?"' }], styles: [{ inline: 'a{} </style>' }], data: {} });
  assert.match(html, /<title>a &lt;b&gt;<\/title>/);
  assert.match(html, /<script nonce="n1">let s = "<\\\/script>"<\/script>/);
  assert.match(html, /<script nonce="n1" src="https:\/\/x\/a.js\?&quot;"><\/script>/);
  assert.match(html, /<style nonce="n1">a\{\} <\\\/style><\/style>/);
});
