// The lead board (convert a lead), the task list (complete in one tap) and the phone-first
// visits page (plan a visit, navigate, log the outcome). One shared server and database:
// records are picked at the moment of the test.
import { test, expect, expectNoHorizontalOverflow } from './fixtures';
import { bearer, getJson, signInAsAdmin } from './api';

test('convert a lead from the lead board', async ({ page, request, context, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'desktop only (one shared database)');
  const token = await signInAsAdmin(request, context, baseURL);
  await page.goto('/leads');
  const column = page.locator('section[data-column="qualified"]');
  await expect(column).toBeVisible();
  const card = column.locator('li[data-id]').first();
  const leadId = (await card.getAttribute('data-id'))!;
  expect(leadId).toMatch(/^LEAD_/);
  await page.screenshot({ path: testInfo.outputPath('lead-board.png'), fullPage: true });

  // The dialog opens only once the page has hydrated: retry the click.
  const dialog = page.getByRole('dialog');
  await expect(async () => {
    if (!(await dialog.isVisible())) await card.getByRole('button', { name: 'Convert' }).click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await dialog.getByLabel('Deal name').fill(`Converted deal ${leadId}`);
  await dialog.getByLabel('Amount').fill('123456.78');
  await dialog.getByRole('button', { name: 'Convert lead' }).click();
  await expect(page.getByRole('status')).toContainText('Converted');
  await expect(page.locator(`li[data-id="${leadId}"]`)).toHaveCount(0);

  const lead = await getJson(request, token, `/leads/${leadId}`);
  expect(lead.converted).toBe(true);
  const deal = await getJson(request, token, `/opportunities/${lead.converted_opportunity_id}`);
  expect(deal.name).toBe(`Converted deal ${leadId}`);
  expect(deal.amount).toBe(123456.78);
  expect(deal.stage).toBe('qualification');
});

test('complete a task in one tap', async ({ page, request, context, baseURL }, testInfo) => {
  const token = await signInAsAdmin(request, context, baseURL);
  const me = await getJson(request, token, '/auth/me');
  // A fresh task of the admin's, so desktop and phone runs do not share one.
  const created = await request.post('/tasks', {
    ...bearer(token),
    data: { title: `Call back ${testInfo.project.name} ${Date.now()}`, due_date: '2020-01-01T09:00:00Z', assigned_to: me.user_id },
  });
  expect(created.status()).toBe(201);
  const task = await created.json();

  await page.goto('/tasks');
  const row = page.locator(`li[data-id="${task.task_id}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('Overdue');
  await page.screenshot({ path: testInfo.outputPath('tasks.png'), fullPage: true });
  if (testInfo.project.name === 'phone') await expectNoHorizontalOverflow(page);
  await expect(async () => {
    if ((await row.count()) > 0) await row.getByRole('button', { name: /^Complete/ }).click();
    await expect(row).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect.poll(async () => (await getJson(request, token, `/tasks/${task.task_id}`)).status).toBe('completed');
});

test('phone: plan a visit, navigate, log the outcome', async ({ page, request, context, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'the field view is phone-first');
  const token = await signInAsAdmin(request, context, baseURL);
  const accounts = await getJson(request, token, '/accounts?limit=1&sort=name');
  const account = accounts.accounts[0];
  const purpose = `Site survey ${Date.now()}`;

  await page.goto('/visits');
  await expect(page.getByRole('heading', { name: 'Plan a visit' })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.getByLabel('Account id').fill(account.account_id);
  await page.getByLabel('Purpose').fill(purpose);
  await page.getByLabel('When').fill(`${tomorrow}T10:30`);
  const visit = page.locator('li[data-id]').filter({ hasText: purpose });
  await expect(async () => {
    if ((await visit.count()) === 0) await page.getByRole('button', { name: 'Plan the visit' }).click();
    await expect(visit).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(visit.getByRole('link', { name: 'Navigate' })).toHaveAttribute('href', /^https:\/\/www\.google\.com\/maps\/dir\/\?api=1&destination=/);
  // The planner's answer: no maps provider on the demo server, so the address and a link only.
  const planned = page.getByTestId('planned-visit');
  await expect(planned).toContainText('Visit planned');
  await expect(planned.getByRole('link', { name: 'Navigate there' })).toHaveAttribute('href', /^https:\/\/www\.google\.com\/maps\/dir\/\?api=1&/);
  await expect(planned.getByTestId('planned-drive')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('visits.png'), fullPage: true });

  const activityId = (await visit.getAttribute('data-id'))!;
  await visit.getByLabel('Outcome').fill('Measured the loading dock; they want two conveyors');
  await visit.getByLabel('Next steps').fill('Send a quote on Monday');
  await visit.getByRole('button', { name: 'Log the visit outcome' }).click();
  await expect
    .poll(async () => (await getJson(request, token, `/activities/${activityId}`)).status)
    .toBe('completed');
  const activity = await getJson(request, token, `/activities/${activityId}`);
  expect(activity.activity_type).toBe('visit');
  expect(activity.outcome).toBe('Measured the loading dock; they want two conveyors');
  expect(activity.next_steps).toBe('Send a quote on Monday');
  await expect(page.locator(`li[data-id="${activityId}"]`)).toHaveCount(0);
});

test('phone: plan my day in one tap', async ({ page, request, context, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'the field view is phone-first');
  const token = await signInAsAdmin(request, context, baseURL);
  // A day of its own, far ahead, so no other test's visits share it.
  const day = new Date(Date.UTC(2040, 0, 1) + (Date.now() % 3000) * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const stamp = Date.now();
  const visitAt = async (name: string, time: string) => {
    const account = await request.post('/accounts', { ...bearer(token), data: { name: `${name} ${stamp}`, billing_address: `${name} Street 1`, city: 'Oslo' } });
    expect(account.status()).toBe(201);
    const { account_id } = await account.json();
    const visit = await request.post('/activities', {
      ...bearer(token),
      data: { activity_type: 'visit', status: 'planned', subject: `See ${name}`, account_id, start_time: `${day}T${time}:00Z` },
    });
    expect(visit.status()).toBe(201);
    return (await visit.json()).activity_id as string;
  };
  const late = await visitAt('Late', '15:00');
  const early = await visitAt('Early', '08:30');

  await page.goto('/visits');
  await expect(page.getByRole('heading', { name: 'Plan my day' })).toBeVisible();
  await page.getByLabel('Day (empty: today)').fill(day);
  const stops = page.getByTestId('day-stops').locator('li[data-id]');
  await expect(async () => {
    if ((await stops.count()) === 0) await page.getByRole('button', { name: 'Plan my day' }).click();
    await expect(stops).toHaveCount(2, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  // No maps provider on the demo server: the planned-time order, said so, and one link.
  await expect(stops.nth(0)).toHaveAttribute('data-id', early);
  await expect(stops.nth(1)).toHaveAttribute('data-id', late);
  await expect(page.getByTestId('day-plan')).toContainText('No maps provider');
  const link = page.getByRole('link', { name: 'Navigate the day' });
  await expect(link).toHaveAttribute('href', /^https:\/\/www\.google\.com\/maps\/dir\/\?api=1&destination=Late\+Street\+1%2C\+Oslo&waypoints=Early\+Street\+1%2C\+Oslo&travelmode=driving$/);
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: testInfo.outputPath('plan-day.png'), fullPage: true });
});
