// Accessibility of every page: axe-core's WCAG 2 A/AA rules (names of inputs and buttons,
// contrast, landmarks, ARIA use), and on the phone touch targets of at least 44 px. Saves a
// screenshot of every page on the way (desktop and phone).
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { getJson, signInAsAdmin } from './api';

/** The pages with a record id filled in from the demo data. */
async function everyPage(request: Parameters<typeof getJson>[0], token: string): Promise<string[]> {
  const first = async (path: string, key: string, id: string) => (await getJson(request, token, path))[key][0][id];
  return [
    '/',
    '/accounts',
    `/accounts/${await first('/accounts?limit=1', 'accounts', 'account_id')}`,
    '/contacts',
    `/contacts/${await first('/contacts?limit=1', 'contacts', 'contact_id')}`,
    '/leads',
    '/opportunities',
    `/opportunities/${await first('/opportunities?limit=1', 'opportunities', 'opportunity_id')}`,
    '/activities',
    `/activities/${await first('/activities?limit=1', 'activities', 'activity_id')}`,
    '/tasks',
    `/tasks/${await first('/tasks?limit=1', 'tasks', 'task_id')}`,
    '/orders',
    `/orders/${await first('/orders?limit=1', 'orders', 'order_id')}`,
    '/visits',
    '/admin/users',
  ];
}

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n  ')}`,
  );
}

/** Buttons and form controls smaller than 44 px in either direction (checkboxes are labelled, so
 * their label is the target; links inside running text are exempt in WCAG 2.5.8). */
async function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>(
      'main button, main select, main textarea, main input:not([type=checkbox]):not([type=radio]):not([type=hidden]), header button, header a, nav a',
    );
    for (const el of controls) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not shown
      if (box.height < 44 || box.width < 44) {
        small.push(`${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return small;
  });
}

test('every page passes axe and has big enough touch targets on a phone', async ({ page, context, request, baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const token = await signInAsAdmin(request, context, baseURL);
  const problems: string[] = [];
  for (const path of await everyPage(request, token)) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    // A screenshot of every page, kept with the test's artifacts.
    const slug = path === '/' ? 'dashboard' : path.slice(1).replace(/\//g, '-');
    await page.screenshot({ path: testInfo.outputPath(`page-${slug}.png`), fullPage: true });
    for (const v of await axeViolations(page)) problems.push(`${path}: ${v}`);
    if (testInfo.project.name === 'phone') {
      for (const t of await smallTargets(page)) problems.push(`${path}: touch target ${t}`);
    }
  }
  await testInfo.attach('a11y-problems.txt', { body: problems.join('\n') || 'none', contentType: 'text/plain' });
  expect(problems).toEqual([]);
});

test('the sign-in page passes axe', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

test('the app is installable: the manifest and its icons are served', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
  await page.goto('/login');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', '#4338ca');
  const res = await request.get('/manifest.webmanifest');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('manifest+json');
  const manifest = await res.json();
  expect(manifest).toMatchObject({ name: 'Lanes CRM', short_name: 'Lanes', start_url: '/', display: 'standalone' });
  const sizes = new Set<string>();
  for (const icon of manifest.icons) {
    const file = await request.get(icon.src);
    expect(file.status(), icon.src).toBe(200);
    expect(file.headers()['content-type']).toBe('image/png');
    // The PNG's own width and height (bytes 16–23 of the IHDR chunk) match the declared size.
    const png = await file.body();
    expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(icon.sizes);
    sizes.add(`${icon.sizes} ${icon.purpose}`);
  }
  expect([...sizes].sort()).toEqual(['192x192 any', '192x192 maskable', '512x512 any', '512x512 maskable']);
  const touch = await request.get(await page.locator('link[rel="apple-touch-icon"]').getAttribute('href') ?? '');
  expect(touch.status()).toBe(200);
});
