/**
 * The only module both the extension and the server import: custom request names and the settings shape.
 * Keep it free of imports from server/core so the extension bundle stays small.
 */

export const SERVER_NAME = 'Skene Language Server';

/** Custom requests (client -> server). */
export const Requests = {
  /** Lists the top-level classes of a Python text. Used by tests to prove the bundled wasm parser loads. */
  pythonClasses: 'skene/pythonClasses',
} as const;

export interface PythonClassesParams {
  text: string;
}

export interface PythonClassesResult {
  classes: { name: string; line: number }[];
  hasSyntaxErrors: boolean;
}

/** Settings under `skene.*`; every field may be missing or null in a client's answer, so readers apply defaults. */
export interface SkeneSettings {
  codeLens: { enabled: boolean };
  pythonSettingsModule: string | null;
  defaultDormancyDays: number;
}

export const DEFAULT_SETTINGS: SkeneSettings = {
  codeLens: { enabled: true },
  pythonSettingsModule: null,
  defaultDormancyDays: 7,
};
