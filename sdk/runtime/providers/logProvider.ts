/** Prints each email instead of sending it: the demo's provider. Always succeeds. */
import type { EmailProvider, ProviderRequest, ProviderResult } from './provider';

export function logProvider(print: (line: string) => void = (line) => console.log(line)): EmailProvider {
  let counter = 0;
  return {
    name: 'log',
    maxBatch: 100,
    send(request: ProviderRequest): Promise<ProviderResult> {
      const emails = (request.count > 1 ? JSON.parse(request.body) : [JSON.parse(request.body)]) as Array<{ to: string[]; subject: string }>;
      const data = emails.map((email) => {
        counter += 1;
        print(`[skene:log] to=${email.to.join(',')} subject=${JSON.stringify(email.subject)} key=${request.idempotencyKey}`);
        return { id: `log-${counter}` };
      });
      const json = request.count > 1 ? { data } : data[0];
      return Promise.resolve({ kind: 'response', status: 200, headers: {}, json });
    },
  };
}
