// Accessibility of every page: axe-core's WCAG 2 A/AA rules (names of inputs and buttons,
// contrast, landmarks, ARIA use), and on the phone touch targets of at least 44 px.
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
