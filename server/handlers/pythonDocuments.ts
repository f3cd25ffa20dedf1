import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isPythonUri, uriToPath, type ServerContext } from './context';
import { describeError, guardNotification } from './guard';

/** Quiet time after the last keystroke in a Python file before the project model is updated. */
export const PYTHON_EDIT_DELAY_MS = 150;

/**
 * Unsaved edits in open Python files (models.py, settings.py) update the project model, so renaming a
 * field updates the config's problems before the file is saved. Edits are debounced per file: a burst of
 * keystrokes costs one incremental re-parse. Opening a file costs nothing (its text is the one on disk).
 */
export class PythonDocuments {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly openedAt = new Map<string, number>();
  /** Files whose unsaved text the model holds: closing them reverts the model to the disk text. */
  private readonly edited = new Set<string>();

  constructor(private readonly ctx: ServerContext) {
    ctx.documents.onDidOpen(guardNotification(ctx, (event) => {
      this.openedAt.set(event.document.uri, event.document.version);
    }));
    ctx.documents.onDidChangeContent(guardNotification(ctx, (event) => this.onContent(event.document)));
    ctx.documents.onDidClose(guardNotification(ctx, (event) => this.onClose(event.document.uri)));
  }

  /** Applies pending edits now: a request reading the model must see the newest text. */
  async flush(): Promise<void> {
    const uris = [...this.timers.keys()];
    for (const uri of uris) clearTimeout(this.timers.get(uri));
    this.timers.clear();
    await this.apply(uris);
  }

  private onContent(document: TextDocument): void {
    if (!isPythonUri(document.uri)) return;
    if (document.version === this.openedAt.get(document.uri)) return;
    if (!this.ctx.projects.find(uriToPath(document.uri) ?? '')) return;
    clearTimeout(this.timers.get(document.uri));
    this.timers.set(document.uri, setTimeout(() => void this.apply([document.uri]), PYTHON_EDIT_DELAY_MS));
  }

  private async apply(uris: string[]): Promise<void> {
    const changes = uris.flatMap((uri) => {
      this.timers.delete(uri);
      const document = this.ctx.documents.get(uri);
      const file = uriToPath(uri);
      if (!document || !file) return [];
      this.edited.add(uri);
      return [{ file, change: { text: document.getText() } }];
    });
    if (!changes.length) return;
    try {
      await this.ctx.projects.apply(changes);
    } catch (error) {
      this.ctx.log(`applying Python edits failed: ${describeError(error)}`);
    }
  }

  private onClose(uri: string): void {
    this.openedAt.delete(uri);
    const file = uriToPath(uri);
    if (!isPythonUri(uri) || !file) return;
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    // Closing after unsaved edits reverts the model to what is on disk.
    if (this.edited.delete(uri)) {
      void this.ctx.projects.apply([{ file, change: { changedOnDisk: true } }]).catch((error: unknown) => this.ctx.log(describeError(error)));
    }
  }
}
