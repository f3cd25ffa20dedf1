/**
 * Who may receive a test send: the addresses in SKENE_TEST_RECIPIENTS (or the editor's setting), else the git
 * user's own email (`git config user.email` in the project), so a test never reaches a customer.
 */
import { execFile } from 'node:child_process';

export interface Allowlist {
  addresses: string[];
  /** Where the list came from, for the refusal message. */
  source: string;
}

export function parseAddressList(text: string): string[] {
  return text.split(/[,\s]+/).map((address) => address.trim().toLowerCase()).filter(Boolean);
}

export function gitUserEmail(cwd: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.email'], { cwd, timeout: 5_000 }, (error, stdout) => resolve(error ? null : stdout.trim() || null));
  });
}

export async function testAllowlist(configured: string | null | undefined, cwd: string): Promise<Allowlist> {
  if (configured && parseAddressList(configured).length) return { addresses: parseAddressList(configured), source: 'SKENE_TEST_RECIPIENTS' };
  const own = await gitUserEmail(cwd);
  return { addresses: own ? [own.toLowerCase()] : [], source: 'git config user.email' };
}

export function isAllowed(allowlist: Allowlist, address: string): boolean {
  return allowlist.addresses.includes(address.trim().toLowerCase());
}
