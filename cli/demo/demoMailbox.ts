/**
 * The demo's `log` provider: like sdk/runtime's logProvider it sends nothing and accepts every email, but
 * it prints what a person would read (recipient, subject, the first lines of the text part and the
 * one-click unsubscribe header) instead of the idempotency key, which changes with each seeding (it hashes
 * the dormancy cycle, a timestamp), so the demo's output stays the same from run to run.
 */
import type { EmailProvider, ProviderRequest, ProviderResult } from '../../sdk/runtime';

const PREVIEW_LINES = 3;

interface SentEmail {
  to: string[];
  subject: string;
  text: string;
  headers?: Record<string, string>;
}

export interface DemoMailbox {
  provider: EmailProvider;
  /** Recipients in the order the emails were handed over, since the last `clear()`. */
  recipients(): string[];
  clear(): void;
}

function preview(email: SentEmail, mark: string): string {
  const lines = email.text.split('\n').map((line) => line.trim()).filter(Boolean).slice(0, PREVIEW_LINES);
  const unsubscribe = email.headers?.['List-Unsubscribe'];
  return [
    `   ${mark} to ${email.to.join(', ')} — "${email.subject}"`,
    ...lines.map((line) => `       | ${line}`),
    ...(unsubscribe ? [`       List-Unsubscribe: ${unsubscribe}`] : []),
  ].join('\n');
}

export function demoMailbox(print: (text: string) => void, unicode: boolean): DemoMailbox {
  const sent: string[] = [];
  let counter = 0;
  const provider: EmailProvider = {
    name: 'log',
    maxBatch: 100,
    send(request: ProviderRequest): Promise<ProviderResult> {
      const emails = (request.count > 1 ? JSON.parse(request.body) : [JSON.parse(request.body)]) as SentEmail[];
      const data = emails.map((email) => {
        sent.push(...email.to);
        print(`${preview(email, unicode ? '✉' : '>')}\n`);
        counter += 1;
        return { id: `demo-${counter}` };
      });
      return Promise.resolve({ kind: 'response', status: 200, headers: {}, json: request.count > 1 ? { data } : data[0] });
    },
  };
  return { provider, recipients: () => [...sent], clear: () => void sent.splice(0) };
}
