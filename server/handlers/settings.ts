import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_SETTINGS, type SkeneSettings } from '../protocol';

/**
 * `skene.*` settings, read when a feature needs them (workspace/configuration) and cached per resource
 * until the client says they changed. Never a global snapshot: a folder may override the user's value.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<SkeneSettings>>();

  constructor(
    private readonly connection: Connection,
    /** Whether the client answers workspace/configuration (decided at initialize). */
    private readonly canAsk: () => boolean,
    /** initializationOptions.settings, for clients that cannot be asked. */
    private readonly fallback: () => unknown,
  ) {}

  get(resource: string): Promise<SkeneSettings> {
    let settings = this.cache.get(resource);
    if (!settings) {
      settings = this.read(resource);
      this.cache.set(resource, settings);
    }
    return settings;
  }

  clear(): void {
    this.cache.clear();
  }

  private async read(resource: string): Promise<SkeneSettings> {
    if (!this.canAsk()) return normalizeSettings(this.fallback());
    try {
      const raw: unknown = await this.connection.workspace.getConfiguration({ scopeUri: resource, section: 'skene' });
      return normalizeSettings(raw);
    } catch {
      this.cache.delete(resource);
      return normalizeSettings(this.fallback());
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
