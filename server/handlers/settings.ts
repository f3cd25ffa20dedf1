import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_SETTINGS, type SkeneSettings } from '../protocol';

/**
 * `skene.*` settings, read when a feature needs them (workspace/configuration) and cached per resource
 * until the client says they changed. Never a global snapshot: a folder may override the user's value.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<SkeneSettings>>();

  constructor(
    private readonly connection: Pick<Connection, 'workspace'>,
    /** Whether the client answers workspace/configuration (decided at initialize). */
    private readonly canAsk: () => boolean,
    /** initializationOptions.settings, for clients that cannot be asked. */
    private readonly fallback: () => unknown,
    /** Where a failed read is said: the defaults it falls back to are not the user's settings. */
    private readonly warn: (message: string) => void = () => undefined,
    private readonly retryDelayMs = 250,
  ) {}

  get(resource: string): Promise<SkeneSettings> {
    const cached = this.cache.get(resource);
    if (cached) return cached;
    const settings: Promise<SkeneSettings> = this.read(resource).then(({ value, fromClient }) => {
      // Defaults used because the client did not answer are not cached: the next request asks again.
      if (!fromClient && this.cache.get(resource) === settings) this.cache.delete(resource);
      return value;
    });
    this.cache.set(resource, settings);
    return settings;
  }

  clear(): void {
    this.cache.clear();
  }

  private async read(resource: string): Promise<{ value: SkeneSettings; fromClient: boolean }> {
    if (!this.canAsk()) return { value: normalizeSettings(this.fallback()), fromClient: true };
    // A client can refuse the request while it is (re)starting its features: asked again a moment later,
    // it answers. Falling back at once would read as "no database URL set" for as long as the answer is used.
    for (let attempt = 1; ; attempt++) {
      try {
        const raw: unknown = await this.connection.workspace.getConfiguration({ scopeUri: resource, section: 'skene' });
        return { value: normalizeSettings(raw), fromClient: true };
      } catch (error) {
        if (attempt < 2) {
          await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
          continue;
        }
        this.warn(`reading the skene settings for ${resource} failed (${error instanceof Error ? error.message : String(error)}); using the defaults for this request`);
        return { value: normalizeSettings(this.fallback()), fromClient: false };
      }
    }
  }
}

/** Any client answer (null, missing keys, wrong types, dotted keys) -> complete settings with defaults. */
export function normalizeSettings(raw: unknown): SkeneSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const codeLens = value.codeLens && typeof value.codeLens === 'object' ? (value.codeLens as Record<string, unknown>).enabled : value['codeLens.enabled'];
  const module = value.pythonSettingsModule;
  const projectPath = value.projectPath;
  const days = value.defaultDormancyDays;
  return {
    report: normalizeReport(value),
    testSend: normalizeTestSend(value),
    codeLens: { enabled: typeof codeLens === 'boolean' ? codeLens : DEFAULT_SETTINGS.codeLens.enabled },
    pythonSettingsModule: typeof module === 'string' && module.trim() ? module.trim() : DEFAULT_SETTINGS.pythonSettingsModule,
    projectPath: typeof projectPath === 'string' && projectPath.trim() ? projectPath.trim() : DEFAULT_SETTINGS.projectPath,
    defaultDormancyDays: typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= 3650 ? days : DEFAULT_SETTINGS.defaultDormancyDays,
  };
}

function normalizeReport(value: Record<string, unknown>): SkeneSettings['report'] {
  const report = (value.report && typeof value.report === 'object' ? value.report : {}) as Record<string, unknown>;
  const lens = report.codeLens ?? value['report.codeLens'];
  const url = report.databaseUrl ?? value['report.databaseUrl'];
  return {
    codeLens: typeof lens === 'boolean' ? lens : DEFAULT_SETTINGS.report.codeLens,
    databaseUrl: typeof url === 'string' && url.trim() ? url.trim() : DEFAULT_SETTINGS.report.databaseUrl,
  };
}

function normalizeTestSend(value: Record<string, unknown>): SkeneSettings['testSend'] {
  const testSend = (value.testSend && typeof value.testSend === 'object' ? value.testSend : {}) as Record<string, unknown>;
  const recipients = testSend.recipients ?? value['testSend.recipients'];
  return { recipients: Array.isArray(recipients) ? recipients.filter((r): r is string => typeof r === 'string' && r.includes('@')).map((r) => r.trim().toLowerCase()) : [] };
}
