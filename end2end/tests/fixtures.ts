// Shared fixtures: every test that opens a page fails when the browser logs a console
// error or the page throws (a broken hydration shows up exactly like that).
import { test as base, expect, type Page } from '@playwright/test';

export type Fixtures = {
  /**
   * Console errors matching one of these are tolerated in this test only, e.g. the
   * "Failed to load resource: ... 401" line Chromium logs for a rejected login request.
   * Set with `test.use({ allowedConsoleErrors: [/.../] })` inside a describe block.
   */
  allowedConsoleErrors: RegExp[];
};

export const test = base.extend<Fixtures>({
  allowedConsoleErrors: [[], { option: true }],

  page: async ({ page, allowedConsoleErrors }, use, testInfo) => {
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      const text = msg.text();
      if (allowedConsoleErrors.some((re) => re.test(text))) return;
      const loc = msg.location();
      problems.push(`console.error: ${text}${loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    });
    page.on('pageerror', (err) => {
      problems.push(`page error: ${err.name}: ${err.message}${err.stack ? `\n${err.stack}` : ''}`);
    });

    await use(page);

    if (problems.length > 0) {
      await testInfo.attach('browser-errors.txt', { body: problems.join('\n\n'), contentType: 'text/plain' });
    }
    expect(problems, 'the browser logged errors or the page threw').toEqual([]);
  },
});

export { expect };

/** Path of the page's current URL, e.g. "/login". */
export function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

/** Waits until the page is at `path` (query string ignored). */
export async function expectPath(page: Page, path: string): Promise<void> {
  await expect.poll(() => pathOf(page), { message: `expected to be at ${path}` }).toBe(path);
}

/**
 * Fails when the page scrolls sideways (content wider than the viewport). With `isMobile`
 * Chromium widens `window.innerWidth` to fit wide content (the page is then zoomed out), so
 * the width is the layout viewport's (`clientWidth`), capped by the configured viewport.
 */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  const width = Math.min(clientWidth, page.viewportSize()?.width ?? clientWidth);
  expect(scrollWidth, `page is ${scrollWidth}px wide in a ${width}px viewport`).toBeLessThanOrEqual(width);
}
