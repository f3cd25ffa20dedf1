/**
 * Chart colours from the editor's theme. SVG presentation attributes cannot hold var(--…), so the values are
 * read from the computed style; the page re-renders when VS Code switches theme (the body's class changes).
 * Outside VS Code (skene report --html) the page's CSS defines the same variables for light and dark.
 */
export interface ChartColors {
  foreground: string;
  lines: string;
  sent: string;
  held: string;
  lift: string;
  band: string;
  negative: string;
  steps: string[];
}

export function chartColors(): ChartColors {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const blue = read('--vscode-charts-blue', '#1a85ff');
  const orange = read('--vscode-charts-orange', '#d18616');
  const green = read('--vscode-charts-green', '#388a34');
  const purple = read('--vscode-charts-purple', '#652d90');
  return {
    foreground: read('--vscode-charts-foreground', read('--vscode-foreground', '#616161')),
    lines: read('--vscode-charts-lines', '#61616180'),
    sent: blue,
    held: orange,
    lift: green,
    band: green,
    negative: read('--vscode-charts-red', '#e51400'),
    steps: [blue, purple, orange, green, read('--vscode-charts-yellow', '#bf8803')],
  };
}

/** Calls `render` again when the editor's theme changes. */
export function onThemeChange(render: () => void): void {
  new MutationObserver(render).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
}
