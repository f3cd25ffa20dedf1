import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

/** Flags for Debian's chromium in a container: headless, no sandbox, and no calls home. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Drives the VS Code workbench the way a person does: keyboard, palette, visible text. */
export class Workbench {
  private shot = 0;

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
