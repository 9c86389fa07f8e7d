// The CRM pages: the dashboard at `/` and the deal board at `/opportunities`.
// Every test shares ONE server and database (workers: 1, both projects), so deals are chosen
// by their stage at the moment of the test, and no test relies on what an earlier one did.
// The browser signs in with a token from POST /auth/login set as the session cookie.
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import { test, expect, expectNoHorizontalOverflow } from './fixtures';
import { ADMIN, apiToken, bearer, getJson, signInAsAdmin, signInBrowser } from './api';

const STAGES = ['prospecting', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost'] as const;
type Stage = (typeof STAGES)[number];
const CHARTS = ['Open pipeline value by stage', 'Leads by source', 'Won and lost deals per month'];

function column(page: Page, stage: Stage): Locator {
  return page.locator(`section[data-column="${stage}"]`);
}

function card(page: Page, id: string): Locator {
  return page.locator(`li[data-id="${id}"]`);
}

/** The stage of the column the card currently sits in (null while it is not on the page). */
async function columnOf(cardLocator: Locator): Promise<string | null> {
  if ((await cardLocator.count()) !== 1) return null;
  return cardLocator.evaluate((el) => el.closest('section[data-column]')?.getAttribute('data-column') ?? null);
}

async function countIn(page: Page, stage: Stage): Promise<number> {
  return Number(await column(page, stage).getByTestId('column-count').innerText());
}

/** Opens the board and picks the first deal shown in `stage`: its id and name. */
async function openBoardAndPick(page: Page, request: APIRequestContext, token: string, stage: Stage) {
  await page.goto('/opportunities');
  await expect(column(page, stage)).toBeVisible();
  const first = column(page, stage).locator('li[data-id]').first();
  await expect(first, `a deal in ${stage}`).toBeVisible();
  const id = (await first.getAttribute('data-id'))!;
  expect(id).toMatch(/^OPP_/);
  const deal = await getJson(request, token, `/opportunities/${id}`);
  expect(deal.stage).toBe(stage);
  return { id, name: deal.name as string };
}

async function expectStageViaRest(request: APIRequestContext, token: string, id: string, stage: Stage) {
  await expect
    .poll(async () => (await getJson(request, token, `/opportunities/${id}`)).stage, {
      message: `GET /opportunities/${id} reports stage ${stage}`,
    })
    .toBe(stage);
  return getJson(request, token, `/opportunities/${id}`);
}

test('dashboard shows the numbers of /dashboard/crm and three charts', async ({ page, context, request, baseURL }, testInfo) => {
  const token = await signInAsAdmin(request, context, baseURL);
  const crm = await getJson(request, token, '/dashboard/crm');
  await page.goto('/');

  const kpi = (label: string) => page.locator(`[data-kpi="${label}"]`).getByTestId('kpi-value');
  await expect(kpi('Accounts')).toHaveText(String(crm.accounts.total));
  await expect(kpi('Win rate')).toHaveText(`${crm.opportunities.win_rate.toFixed(1)} %`);
  await expect(kpi('Conversion rate')).toHaveText(`${crm.leads.conversion_rate.toFixed(1)} %`);
  for (const label of ['Open pipeline', 'Weighted pipeline']) {
    await expect(kpi(label)).toBeVisible();
    await expect(kpi(label)).not.toHaveText('');
  }
  for (const name of CHARTS) {
    await expect(page.getByRole('img', { name, exact: true })).toBeVisible();
  }
  if (crm.pending_tasks.length > 0) {
    const tasks = page.getByTestId('pending-tasks');
    await expect(tasks).toBeVisible();
    await expect(tasks.locator('li')).toHaveCount(crm.pending_tasks.length);
  }
  await page.screenshot({ path: testInfo.outputPath('dashboard.png'), fullPage: true });
  if (testInfo.project.name === 'phone') await expectNoHorizontalOverflow(page);
});

test('deal board has six columns whose counts match /opportunity/status', async ({ page, context, request, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
  const token = await signInAsAdmin(request, context, baseURL);
  const status = await getJson(request, token, '/opportunity/status');
  await page.goto('/opportunities');

  await expect(page.locator('section[data-column]')).toHaveCount(STAGES.length);
  let sum = 0;
  for (const stage of STAGES) {
    const col = column(page, stage);
    await expect(col, `column ${stage}`).toHaveCount(1);
    const expected = status.summary[stage]?.count ?? 0;
    await expect(col.getByTestId('column-count'), `count of ${stage}`).toHaveText(String(expected));
    await expect(col.locator('li[data-id]'), `cards in ${stage}`).toHaveCount(expected);
    await expect(col.getByTestId('column-total')).not.toHaveText('');
    sum += await countIn(page, stage);
  }
  expect(sum, 'column counts add up to total_opportunities').toBe(status.total_opportunities);
  await page.screenshot({ path: testInfo.outputPath('deal-board.png'), fullPage: true });
});

test('a deal dragged with the mouse from prospecting to proposal stays there', async ({ page, context, request, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'mouse drag: desktop only');
  const token = await signInAsAdmin(request, context, baseURL);
  const { id } = await openBoardAndPick(page, request, token, 'prospecting');
  const before = { prospecting: await countIn(page, 'prospecting'), proposal: await countIn(page, 'proposal') };
  const deal = card(page, id);

  // Retried until hydrated: a drag before hydration does nothing, a repeated one after the
  // move is skipped because the card already sits in the proposal column.
  await expect(async () => {
    if ((await columnOf(deal)) === 'prospecting') await deal.dragTo(column(page, 'proposal'));
    await expect(column(page, 'proposal').locator(`li[data-id="${id}"]`)).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  await expect(column(page, 'prospecting').locator(`li[data-id="${id}"]`)).toHaveCount(0);
  await expect(column(page, 'prospecting').getByTestId('column-count')).toHaveText(String(before.prospecting - 1));
  await expect(column(page, 'proposal').getByTestId('column-count')).toHaveText(String(before.proposal + 1));

  const saved = await expectStageViaRest(request, token, id, 'proposal');
  expect(saved.probability).toBe(50);

  await page.reload();
  await expect(column(page, 'proposal').locator(`li[data-id="${id}"]`)).toBeVisible();
  await expect(column(page, 'prospecting').locator(`li[data-id="${id}"]`)).toHaveCount(0);
});

test('arrow keys move a focused deal to the next and previous stage', async ({ page, context, request, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
  const token = await signInAsAdmin(request, context, baseURL);
  const { id } = await openBoardAndPick(page, request, token, 'qualification');
  const deal = card(page, id);

  // ArrowRight: qualification → proposal (the next stage).
  await expect(async () => {
    if ((await columnOf(deal)) === 'qualification') {
      await deal.focus();
      await deal.press('ArrowRight');
    }
    await expect(column(page, 'proposal').locator(`li[data-id="${id}"]`)).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expectStageViaRest(request, token, id, 'proposal');

  // ArrowLeft: back to qualification (the page is hydrated by now; retried all the same).
  await expect(async () => {
    if ((await columnOf(deal)) === 'proposal') {
      await deal.focus();
      await deal.press('ArrowLeft');
    }
    await expect(column(page, 'qualification').locator(`li[data-id="${id}"]`)).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  const saved = await expectStageViaRest(request, token, id, 'qualification');
  expect(saved.probability).toBe(20);
});

test('the Move to menu closes a deal as won', async ({ page, context, request, baseURL }, testInfo) => {
  // Desktop and phone (the touch-friendly control); each takes a deal from its own stage.
  const from: Stage = testInfo.project.name === 'phone' ? 'proposal' : 'negotiation';
  const token = await signInAsAdmin(request, context, baseURL);
  const { id, name } = await openBoardAndPick(page, request, token, from);
  const deal = card(page, id);

  await expect(async () => {
    if ((await columnOf(deal)) === from) {
      await deal.getByRole('combobox', { name: `Move ${name} to`, exact: true }).selectOption('closed_won');
    }
    await expect(column(page, 'closed_won').locator(`li[data-id="${id}"]`)).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });

  const saved = await expectStageViaRest(request, token, id, 'closed_won');
  expect(saved.probability).toBe(100);
  expect(saved.is_closed).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('deal-board-after-move.png'), fullPage: true });
});

test.describe('a viewer', () => {
  // The refused move is a 403, which Chromium logs as a failed resource: expected here.
  test.use({ allowedConsoleErrors: [/Failed to load resource: the server responded with a status of 4\d\d/] });

  test('cannot move a deal: the card snaps back and an alert says why', async ({ page, context, request, baseURL }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
    const adminToken = await apiToken(request, ADMIN);
    const viewer = {
      email: `viewer-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`,
      password: 'viewer-password-1',
    };
    const registered = await request.post('/auth/register', {
      ...bearer(adminToken),
      data: { ...viewer, role: 'viewer' },
    });
    expect(registered.ok(), `register a viewer: ${registered.status()} ${await registered.text()}`).toBe(true);
    const viewerToken = await apiToken(request, viewer);
    await signInBrowser(context, baseURL, viewerToken);

    const from: Stage = 'prospecting';
    const { id, name } = await openBoardAndPick(page, request, adminToken, from);
    const deal = card(page, id);
    const alert = page.getByRole('alert').filter({ hasText: 'was not moved' });

    await expect(async () => {
      if (!(await alert.isVisible()) && (await columnOf(deal)) === from) {
        await deal.getByRole('combobox', { name: `Move ${name} to`, exact: true }).selectOption('closed_won');
      }
      await expect(alert).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });

    await expect(alert).toContainText(`“${name}” was not moved:`);
    await expect(alert).toContainText('read-only');
    await expect(column(page, from).locator(`li[data-id="${id}"]`)).toBeVisible();
    await expect(column(page, 'closed_won').locator(`li[data-id="${id}"]`)).toHaveCount(0);
    await expect(deal.getByRole('combobox', { name: `Move ${name} to`, exact: true })).toHaveValue(from);
    await page.screenshot({ path: testInfo.outputPath('deal-board-refused.png'), fullPage: true });

    const unchanged = await getJson(request, adminToken, `/opportunities/${id}`);
    expect(unchanged.stage).toBe(from);
  });
});
