/**
 * Progress of a run. On a terminal: one bar line redrawn in place (emails the provider accepted out of the
 * emails to send), with the engine's per-batch lines printed above it. Elsewhere (CI, logs, pipes): the
 * engine's per-batch lines as plain lines and no redraws.
 */
import type { EmailProvider } from '../../sdk/runtime';
import type { CommandIo } from './commandIo';

const BAR_WIDTH = 24;

export interface Progress {
  /** A line from the engine (one per batch) or from the provider (log). */
  line(text: string): void;
  /** A new loop starts; `total` emails expected, or null when unknown. */
  begin(loopId: string, total: number | null): void;
  /** A provider request came back: `count` emails, accepted or not. */
  request(count: number, accepted: boolean): void;
  end(): void;
}

export function createProgress(io: CommandIo): Progress {
  return io.isTTY ? new TerminalProgress(io) : { line: (text) => io.stdout(`${text}\n`), begin: () => undefined, request: () => undefined, end: () => undefined };
}

class TerminalProgress implements Progress {
  private loopId = '';
  private total: number | null = null;
  private sent = 0;
  private failed = 0;
  private started = 0;
  private shown = false;

  constructor(private readonly io: CommandIo) {}

  line(text: string): void {
    this.clear();
    this.io.stdout(`${text}\n`);
    this.draw();
  }

  begin(loopId: string, total: number | null): void {
    Object.assign(this, { loopId, total, sent: 0, failed: 0, started: performance.now() });
    this.draw();
  }

  request(count: number, accepted: boolean): void {
    if (accepted) this.sent += count;
    else this.failed += count;
    this.draw();
  }

  end(): void {
    this.clear();
    this.loopId = '';
  }

  private clear(): void {
    if (this.shown) this.io.stdout('\r\x1b[2K');
    this.shown = false;
  }

  private draw(): void {
    if (!this.loopId) return;
    this.clear();
    const seconds = Math.max(0.001, (performance.now() - this.started) / 1000);
    const rate = `${(this.sent / seconds).toFixed(1)}/s`;
    const counts = this.total === null ? `${this.sent} sent` : `${this.sent}/${this.total} sent`;
    this.io.stdout(`${this.loopId} ${bar(this.sent, this.total, this.io.unicode)} ${counts} · ${this.failed} not accepted · ${rate}`);
    this.shown = true;
  }
}

export function bar(done: number, total: number | null, unicode: boolean): string {
  const [full, empty] = unicode ? ['█', '░'] : ['#', '-'];
  const filled = total ? Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH)) : 0;
  return `[${full.repeat(filled)}${empty.repeat(BAR_WIDTH - filled)}]`;
}

/** The provider, reporting each request's outcome to the progress display (2xx = accepted). */
export function reportingProvider(provider: EmailProvider, progress: Progress): EmailProvider {
  return {
    name: provider.name,
    maxBatch: provider.maxBatch,
    async send(request) {
      const result = await provider.send(request);
      const accepted = result.kind === 'response' && result.status >= 200 && result.status < 300;
      progress.request(request.count, accepted);
      return result;
    },
  };
}
