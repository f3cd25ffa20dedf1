/**
 * Entry of the email preview page (dist/webview/preview.js): the envelope (subject, from, to, List-Unsubscribe),
 * the mail-client warnings, the HTML part in a sandboxed frame at desktop or mobile width (as sent, or with its CSS
 * inlined by juice) and the text part beside it. The host sends a new preview whenever the template, the config
 * or the chosen user changes; the page asks for another step, another user or a test send.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { PreviewView } from '../../server/core/preview/buildPreview';
import { el } from '../dom';
import { onHostMessage, readEmbeddedData, vscodeApi } from '../host';

export type PreviewMessage = { type: 'preview'; preview: PreviewView; trusted: boolean } | { type: 'error'; message: string };
export type PageRequest = { type: 'ready' } | { type: 'select'; loopId: string; step: number } | { type: 'user'; userId: string | null } | { type: 'sendTest' };

const WIDTHS = { desktop: 600, mobile: 375 } as const;
const state = { width: 'desktop' as keyof typeof WIDTHS, inlined: false };

const post = (request: PageRequest) => vscodeApi()?.postMessage(request);

function envelope(preview: PreviewView): HTMLElement {
  const row = (name: string, value: string, field: string) => el('tr', {}, el('th', {}, name), el('td', { 'data-field': field }, value));
  const headers = Object.entries(preview.headers).map(([name, value]) => row(name, value, `header:${name}`));
  return el('table', { class: 'envelope' }, el('tbody', {},
    row('Subject', preview.subject, 'subject'), row('From', preview.from, 'from'), row('To', preview.to.join(', '), 'to'),
    preview.replyTo ? row('Reply-To', preview.replyTo, 'replyTo') : null, ...headers,
    row('User', preview.user.kind === 'sample' ? `sample user (id ${preview.user.id}) built from your user model` : `user ${preview.user.id} from your database`, 'user')));
}

function toggle(label: string, pressed: boolean, onClick: () => void): HTMLElement {
  const button = el('vscode-button', { secondary: !pressed, 'aria-pressed': String(pressed) }, label);
  button.addEventListener('click', onClick);
  return button;
}

function stepPicker(preview: PreviewView): HTMLElement {
  const select = el('select', { class: 'steps', 'aria-label': 'loop step' }, ...preview.choices.map((c) => el('option', { value: `${c.loopId}\u0000${c.step}`, selected: c.loopId === preview.loopId && c.step === preview.step }, `${c.loopId} · step ${c.step + 1} · ${c.template}`)));
  select.addEventListener('change', () => {
    const [loopId, step] = select.value.split('\u0000');
    post({ type: 'select', loopId: loopId ?? '', step: Number(step) });
  });
  return select;
}

function userPicker(preview: PreviewView, trusted: boolean): HTMLElement {
  const field = el('vscode-textfield', { placeholder: trusted ? 'user id from your database' : 'trust the workspace to pick a real user', disabled: !trusted, value: preview.user.kind === 'real' ? preview.user.id : '' }) as HTMLElement & { value: string };
  const load = toggle('Show for this user', false, () => post({ type: 'user', userId: field.value.trim() || null }));
  const sample = toggle('Sample user', preview.user.kind === 'sample', () => post({ type: 'user', userId: null }));
  return el('div', { class: 'user' }, sample, field, load);
}

function toolbar(preview: PreviewView, trusted: boolean, render: () => void): HTMLElement {
  const set = (change: Partial<typeof state>) => () => {
    Object.assign(state, change);
    render();
  };
  const send = toggle('Send test…', false, () => post({ type: 'sendTest' }));
  return el('div', { class: 'toolbar' }, stepPicker(preview), userPicker(preview, trusted),
    el('div', { class: 'group' }, toggle('Desktop', state.width === 'desktop', set({ width: 'desktop' })), toggle('Mobile', state.width === 'mobile', set({ width: 'mobile' }))),
    el('div', { class: 'group' }, toggle('As sent', !state.inlined, set({ inlined: false })), toggle('CSS inlined', state.inlined, set({ inlined: true }))),
    vscodeApi() && trusted ? send : null);
}

function messages(preview: PreviewView): HTMLElement {
  return el('ul', { class: 'messages' },
    ...preview.warnings.map((w) => el('li', { class: 'warning', 'data-code': w.code }, w.message)),
    ...preview.notes.map((note) => el('li', { class: 'note' }, note)));
}

function parts(preview: PreviewView): HTMLElement {
  // No scripts, no same origin, no forms: the email is shown, never run. Remote images stay blocked by the CSP.
  const frame = el('iframe', { class: 'html-part', sandbox: '', title: 'HTML part', width: WIDTHS[state.width], 'data-width': state.width, 'data-inlined': String(state.inlined) });
  frame.srcdoc = state.inlined ? preview.inlinedHtml : preview.html;
  return el('div', { class: 'parts' },
    el('section', {}, el('h3', {}, `HTML · ${WIDTHS[state.width]} px`), frame),
    el('section', {}, el('h3', {}, 'Text part'), el('pre', { class: 'text-part' }, preview.text || '(empty)')));
}

function main(): void {
  const container = document.getElementById('skene-root');
  if (!container) return;
  let current = readEmbeddedData<PreviewMessage>();
  const render = () => {
    if (!current) return;
    if (current.type === 'error') container.replaceChildren(el('p', { class: 'error' }, current.message));
    else container.replaceChildren(toolbar(current.preview, current.trusted, render), envelope(current.preview), messages(current.preview), parts(current.preview));
    document.body.dataset.rendered = 'true';
  };
  render();
  onHostMessage<PreviewMessage>((message) => {
    current = message;
    render();
  });
  post({ type: 'ready' });
}

main();
