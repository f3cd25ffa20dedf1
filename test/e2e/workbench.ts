import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

export type Rgb = [number, number, number];

/** A screenshot and the colors painted in it, most pixels first (share of all pixels, 0..1). */
export interface Shot {
  file: string;
  colors: Array<{ rgb: Rgb; share: number }>;
}

/** Share of a shot's pixels within `tolerance` (per channel) of a color: anti-aliased text paints its color only in part. */
export function inkOf(shot: Shot, rgb: Rgb, tolerance = 24): number {
  return shot.colors.filter((c) => c.rgb.every((v, i) => Math.abs(v - (rgb[i] ?? 0)) <= tolerance)).reduce((sum, c) => sum + c.share, 0);
}

/** "rgb(78, 201, 176)" → [78, 201, 176]. */
export function parseRgb(css: string): Rgb {
  const [r = 0, g = 0, b = 0] = (css.match(/\d+/g) ?? []).map(Number);
  return [r, g, b];
}

/** Flags for Debian's chromium in a container: headless, no sandbox, and no calls home. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Drives the VS Code workbench the way a person does: keyboard, palette, visible text. */
export class Workbench {
  private shot = 0;
  private decoder: Page | undefined;

  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {
    mkdirSync(screenshotDir, { recursive: true });
  }

  /** Saves a numbered screenshot (01-name.png, ...) and returns its path. */
  async screenshot(name: string): Promise<string> {
    this.shot += 1;
    const file = path.join(this.screenshotDir, `${String(this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Saves a numbered screenshot of one element and reads its pixels back (decoded by chromium in a blank page, so the
   * test checks what was painted, not only the DOM): the colors and how much of the element each covers.
   */
  async screenshotOf(locator: Locator, name: string): Promise<Shot> {
    this.shot += 1;
    const file = path.join(this.screenshotDir, `${String(this.shot).padStart(2, '0')}-${name}.png`);
    const png = await locator.screenshot({ path: file });
    this.decoder ??= await this.page.context().newPage();
    const colors = await this.decoder.evaluate(async (base64: string) => {
      // Runs in the browser; this file is type-checked without the DOM lib.
      const g = globalThis as unknown as { Image: new () => { src: string; width: number; height: number; decode(): Promise<void> }; document: { createElement(tag: 'canvas'): { width: number; height: number; getContext(kind: '2d'): { drawImage(image: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } } } };
      const image = new g.Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = g.document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      const data = context.getImageData(0, 0, image.width, image.height).data;
      const counts = new Map<string, number>();
      for (let i = 0; i < data.length; i += 4) {
        const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const total = data.length / 4;
      return [...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => ({ rgb: key.split(',').map(Number) as [number, number, number], share: n / total }));
    }, png.toString('base64'));
    return { file, colors };
  }

  /** Runs a command from the palette (F1) by its title, once it is the highlighted entry. */
  async runCommand(title: string): Promise<void> {
    await this.openQuickInput('F1');
    await this.page.keyboard.type(title);
    await this.focusedRow(title).waitFor({ timeout: 20_000 });
    await this.page.keyboard.press('Enter');
  }

  /** The open quick input (palette, quick pick) whose title contains the text. */
  quickPick(title: string | RegExp): Locator {
    return this.page.locator('.quick-input-widget', { has: this.page.locator('.quick-input-title', { hasText: title }) });
  }

  /** Opens a workspace file by name through Quick Open (Ctrl+P). */
  async openFile(relativePath: string): Promise<void> {
    await this.openQuickInput('Control+P');
    await this.page.keyboard.type(relativePath);
    await this.focusedRow(path.basename(relativePath)).waitFor({ timeout: 20_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: path.basename(relativePath) }).waitFor({ timeout: 20_000 });
  }

  /** Puts the cursor at a 1-based line and column (Ctrl+G accepts "line:column"). */
  async goTo(line: number, column: number): Promise<void> {
    await this.openQuickInput('Control+G');
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** A notification toast whose message contains the text. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast', { hasText: text });
  }

  /** A row of the Problems panel whose text contains the given text. */
  problem(text: string | RegExp): Locator {
    return this.page.locator('.markers-panel .monaco-list-row', { hasText: text });
  }

  statusBarItem(text: string | RegExp): Locator {
    return this.page.locator('.statusbar-item', { hasText: text });
  }

  /** Code lens texts shown in the active editor. */
  codeLenses(): Locator {
    return this.page.locator('.editor-group-container.active .codelens-decoration');
  }

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  private focusedRow(text: string): Locator {
    return this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: text });
  }

  private async openQuickInput(shortcut: string): Promise<void> {
    await this.page.keyboard.press(shortcut);
    await this.quickInput().locator('input').waitFor({ state: 'visible', timeout: 10_000 });
  }
}
