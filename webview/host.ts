/** What a Skene page reads from its host: the data embedded in the page, the CSP nonce, and (in VS Code) messages. */

export function readEmbeddedData<T>(): T | null {
  const script = document.getElementById('skene-data');
  if (!script?.textContent) return null;
  return JSON.parse(script.textContent) as T;
}

/** The nonce of the page's own script: styles a library creates at run time must carry it (CSP). */
export function pageNonce(): string {
  return document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';
}

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare const acquireVsCodeApi: (() => VsCodeApi) | undefined;

let api: VsCodeApi | null | undefined;

/** VS Code's webview API, or null outside VS Code (the --html file). */
export function vscodeApi(): VsCodeApi | null {
  if (api === undefined) api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
  return api;
}

/** Messages from the extension; none outside VS Code, where no other window may drive the page. */
export function onHostMessage<T>(handle: (message: T) => void): void {
  if (!vscodeApi()) return;
  window.addEventListener('message', (event: MessageEvent<T>) => handle(event.data));
}
