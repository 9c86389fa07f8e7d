// The record lists (`/contacts`, `/activities`, `/orders`) and the record pages that edit a
// contact, an opportunity, an activity or a task and move an order. One shared server and
// database (workers: 1): each test picks or creates the records it changes.
import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect, expectNoHorizontalOverflow } from './fixtures';
import { bearer, getJson, signInAsAdmin } from './api';

/** A refused server function is a 4xx, which Chromium logs as a failed resource. */
const REFUSED_REQUEST = /Failed to load resource: the server responded with a status of 4\d\d/;

function unique(prefix: string): string {
  return `${prefix} ${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
}

/** A fresh contact at a demo account, so no other test edits it. */
async function createContact(request: APIRequestContext, token: string) {
  const accounts = await getJson(request, token, '/accounts?limit=1&sort=name');
  const res = await request.post('/contacts', {
    ...bearer(token),
    data: { account_id: accounts.accounts[0].account_id, first_name: 'Maren', last_name: unique('Olsen'), email: 'maren@example.com', phone: '+47 22 00 00 00' },
  });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

/** Waits until the form's save button works (the page has hydrated). */
async function hydratedForm(page: Page, name: string) {
  const form = page.getByRole('form', { name });
  await expect(form.getByRole('button', { name: 'Save changes' })).toBeEnabled({ timeout: 30_000 });
  return form;
}

const LISTS = [
  { path: '/contacts', heading: 'Contacts', list: 'contact-list', prefix: 'CON_', key: 'contacts' },
  { path: '/activities', heading: 'Activities', list: 'activity-list', prefix: 'ACT_', key: 'activities' },
  { path: '/orders', heading: 'Orders', list: 'order-list', prefix: 'ORD_', key: 'orders' },
];

for (const { path, heading, list, prefix, key } of LISTS) {
  test(`${path} lists the seeded records, filters them and links to each`, async ({ page, context, request, baseURL }, testInfo) => {
    const token = await signInAsAdmin(request, context, baseURL);
    const total = (await getJson(request, token, `${path}?limit=1000`))[key].length;
    expect(total, `the demo data has ${key}`).toBeGreaterThan(0);
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    const rows = page.getByTestId(list).locator('li[data-id]');
    await expect(rows.first()).toBeVisible();
    expect(await rows.first().getAttribute('data-id')).toMatch(new RegExp(`^${prefix}`));
    await expect(rows).toHaveCount(Math.min(total, 25));
    if (testInfo.project.name === 'phone') await expectNoHorizontalOverflow(page);
    await page.screenshot({ path: testInfo.outputPath(`${heading.toLowerCase()}.png`), fullPage: true });

    // "Load more" follows the cursor; it is there only while there is more.
    const more = page.getByRole('button', { name: 'Load more' });
    if (total > 25) {
      await expect(more).toBeEnabled({ timeout: 30_000 });
      await more.click();
      await expect(rows).toHaveCount(Math.min(total, 50));
    } else {
      await expect(more).toHaveCount(0);
    }

    // A search nothing matches says so.
    await page.getByLabel(`Search ${heading.toLowerCase()}`).fill('zz-no-such-record-zz');
    await expect(page.getByText(`No ${heading.toLowerCase()} match`)).toBeVisible();
    await page.getByLabel(`Search ${heading.toLowerCase()}`).fill('');
    await expect(rows.first()).toBeVisible();

    // Each row links to its record's page.
    const id = (await rows.first().getAttribute('data-id'))!;
    await rows.first().getByRole('link').first().click();
    await expect(page).toHaveURL(new RegExp(`${path}/${id}$`));
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    if (testInfo.project.name === 'phone') await expectNoHorizontalOverflow(page);
    await page.screenshot({ path: testInfo.outputPath(`${heading.toLowerCase()}-record.png`), fullPage: true });
  });
}

test('a status filter from the URL narrows the orders list', async ({ page, context, request, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
  const token = await signInAsAdmin(request, context, baseURL);
  const delivered = await getJson(request, token, '/orders?status=delivered&limit=1000');
  await page.goto('/orders?status=delivered');
  const rows = page.getByTestId('order-list').locator('li[data-id]');
  await expect(rows).toHaveCount(Math.min(delivered.orders.length, 25));
  await expect(page.getByLabel('Status')).toHaveValue('delivered');
  for (const status of await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-status')))) {
    expect(status).toBe('delivered');
  }
});

test('edit a contact; the REST API reads the change', async ({ page, context, request, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
  const token = await signInAsAdmin(request, context, baseURL);
  const contact = await createContact(request, token);
  await page.goto(`/contacts/${contact.contact_id}`);
  await expect(page.getByRole('heading', { level: 1, name: contact.full_name })).toBeVisible();
  const form = await hydratedForm(page, 'Edit contact');
  await expect(form.getByLabel('Email')).toHaveValue('maren@example.com');

  await form.getByLabel('Job title').fill('Head of Logistics');
  await form.getByLabel('Phone').fill('');
  await form.getByLabel('Role').selectOption('decision_maker');
  await form.getByLabel('Primary contact of the account').check();
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');

  const saved = await getJson(request, token, `/contacts/${contact.contact_id}`);
  expect(saved).toMatchObject({ title: 'Head of Logistics', phone: null, contact_role: 'decision_maker', is_primary: true, email: 'maren@example.com' });
  expect(saved.account_id).toBe(contact.account_id);
  expect(saved.version).toBe(contact.version + 1);
  await page.screenshot({ path: testInfo.outputPath('contact-edited.png'), fullPage: true });

  // A second save goes with the new version (no conflict with itself).
  await form.getByLabel('Department').fill('Operations');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  await expect.poll(async () => (await getJson(request, token, `/contacts/${contact.contact_id}`)).department).toBe('Operations');
});

test('edit an opportunity from the deal board', async ({ page, context, request, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
  const token = await signInAsAdmin(request, context, baseURL);
  const accounts = await getJson(request, token, '/accounts?limit=1&sort=name');
  const name = unique('Cold chain fleet');
  const created = await request.post('/opportunities', {
    ...bearer(token),
    data: { account_id: accounts.accounts[0].account_id, name, amount: 50000, stage: 'prospecting' },
  });
  expect(created.status()).toBe(201);
  const deal = await created.json();

  await page.goto('/opportunities');
  await page.locator(`li[data-id="${deal.opportunity_id}"]`).getByRole('link', { name }).click();
  await expect(page).toHaveURL(new RegExp(`/opportunities/${deal.opportunity_id}$`));
  const form = await hydratedForm(page, 'Edit opportunity');
  const newName = `${name} (renewed)`;
  await form.getByLabel('Deal name').fill(newName);
  await form.getByLabel('Amount').fill('75,000');
  await form.getByLabel('Stage').selectOption('negotiation');
  await form.getByLabel('Close date').fill('2031-06-30');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  // The stage's default probability came back from the server.
  await expect(form.getByLabel('Probability (%)')).toHaveValue('80');

  const saved = await getJson(request, token, `/opportunities/${deal.opportunity_id}`);
  expect(saved).toMatchObject({ name: newName, amount: 75000, stage: 'negotiation', probability: 80, expected_revenue: 60000 });
  expect(saved.close_date.slice(0, 10)).toBe('2031-06-30');
  const history = await getJson(request, token, `/opportunities/${deal.opportunity_id}/history`);
  expect(JSON.stringify(history)).toContain('negotiation');
  await page.screenshot({ path: testInfo.outputPath('opportunity-edited.png'), fullPage: true });
});

test('edit a task and an activity', async ({ page, context, request, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
  const token = await signInAsAdmin(request, context, baseURL);
  const task = await (await request.post('/tasks', { ...bearer(token), data: { title: unique('Check pallets') } })).json();
  await page.goto(`/tasks/${task.task_id}`);
  let form = await hydratedForm(page, 'Edit task');
  await form.getByLabel('Priority').selectOption('urgent');
  await form.getByLabel('Due (UTC)').fill('2031-02-03T09:30');
  await form.getByLabel('Status').selectOption('in_progress');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  expect(await getJson(request, token, `/tasks/${task.task_id}`)).toMatchObject({ priority: 'urgent', status: 'in_progress', due_date: '2031-02-03T09:30:00Z' });
  await page.screenshot({ path: testInfo.outputPath('task-edited.png'), fullPage: true });

  const activity = await (
    await request.post('/activities', { ...bearer(token), data: { subject: unique('Quarterly review'), activity_type: 'meeting' } })
  ).json();
  await page.goto(`/activities/${activity.activity_id}`);
  form = await hydratedForm(page, 'Edit activity');
  await form.getByLabel('Status').selectOption('completed');
  await form.getByLabel('Outcome').fill('Renewed for a year');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  expect(await getJson(request, token, `/activities/${activity.activity_id}`)).toMatchObject({ status: 'completed', outcome: 'Renewed for a year' });
});

test('move an order from created to confirmed to shipped', async ({ page, context, request, baseURL }, testInfo) => {
  const token = await signInAsAdmin(request, context, baseURL);
  // A fresh order from a fresh deal, so desktop and phone runs do not share one.
  const accounts = await getJson(request, token, '/accounts?limit=1&sort=name');
  const deal = await (
    await request.post('/opportunities', { ...bearer(token), data: { account_id: accounts.accounts[0].account_id, name: unique('Order deal'), amount: 1200 } })
  ).json();
  const made = await request.post('/integrations/bos/order', {
    ...bearer(token),
    data: { opportunity_id: deal.opportunity_id, order_details: { product_id: 'PALLET-RACK', quantity: 4 } },
  });
  expect(made.status(), await made.text()).toBe(201);
  const orderId = (await made.json()).order_id;

  await page.goto(`/orders/${orderId}`);
  await expect(page.getByTestId('order-status')).toHaveText('Created');
  await expect(page.getByRole('button', { name: 'Mark as shipped' })).toHaveCount(0); // not a legal move yet
  const confirm = page.getByRole('button', { name: 'Mark as confirmed' });
  await expect(confirm).toBeEnabled({ timeout: 30_000 });
  await confirm.click();
  await expect(page.getByTestId('order-status')).toHaveText('Confirmed');
  await page.getByRole('button', { name: 'Mark as shipped' }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Shipped');
  await expect(page.getByRole('button', { name: 'Mark as cancelled' })).toHaveCount(0); // too late to cancel
  expect((await getJson(request, token, `/orders/${orderId}`)).status).toBe('shipped');
  if (testInfo.project.name === 'phone') await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: testInfo.outputPath('order-moved.png'), fullPage: true });
});

test.describe('a refused save', () => {
  test.use({ allowedConsoleErrors: [REFUSED_REQUEST] });

  test("shows the server's message next to the field and keeps what was typed", async ({ page, context, request, baseURL }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
    const token = await signInAsAdmin(request, context, baseURL);
    const contact = await createContact(request, token);
    await page.goto(`/contacts/${contact.contact_id}`);
    const form = await hydratedForm(page, 'Edit contact');

    // The browser's own check first: a last name is required.
    await form.getByLabel('Last name').fill('');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.locator('#contact-last_name-error')).toContainText('last name');
    await expect(form.getByLabel('Last name')).toHaveAttribute('aria-invalid', 'true');

    // Then the server's: the email is refused and its detail shows under the input.
    await form.getByLabel('Last name').fill('Hansen');
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByLabel('Job title').fill('Buyer');
    await form.getByRole('button', { name: 'Save changes' }).click();
    const message = page.locator('#contact-email-error');
    await expect(message).toBeVisible();
    await expect(message).toContainText('email');
    await expect(form.getByLabel('Email')).toHaveAttribute('aria-describedby', 'contact-email-error');
    await expect(page.locator('#contact-last_name-error')).toHaveCount(0);
    await expect(form.getByLabel('Email')).toHaveValue('not-an-email');
    await expect(form.getByLabel('Job title')).toHaveValue('Buyer');
    await expect(form.getByLabel('Last name')).toHaveValue('Hansen');
    await page.screenshot({ path: testInfo.outputPath('contact-refused.png'), fullPage: true });
    const unchanged = await getJson(request, token, `/contacts/${contact.contact_id}`);
    expect(unchanged.email).toBe('maren@example.com');
    expect(unchanged.version).toBe(contact.version);
  });

  test('a save over someone else\'s change says so and can load their version', async ({ page, context, request, baseURL }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
    const token = await signInAsAdmin(request, context, baseURL);
    const contact = await createContact(request, token);
    await page.goto(`/contacts/${contact.contact_id}`);
    const form = await hydratedForm(page, 'Edit contact');

    // Someone else saves first, over REST.
    const other = await request.patch(`/contacts/${contact.contact_id}`, { ...bearer(token), data: { title: 'Set elsewhere' } });
    expect(other.status()).toBe(200);

    await form.getByLabel('Job title').fill('Set here');
    await form.getByRole('button', { name: 'Save changes' }).click();
    const conflict = page.getByTestId('conflict');
    await expect(conflict).toContainText('Someone else changed this record');
    await expect(form.getByLabel('Job title')).toHaveValue('Set here');
    expect((await getJson(request, token, `/contacts/${contact.contact_id}`)).title).toBe('Set elsewhere');
    await page.screenshot({ path: testInfo.outputPath('contact-conflict.png'), fullPage: true });

    await conflict.getByRole('button', { name: 'Load the latest version' }).click();
    const reloaded = await hydratedForm(page, 'Edit contact');
    await expect(reloaded.getByLabel('Job title')).toHaveValue('Set elsewhere');
    await reloaded.getByLabel('Job title').fill('Agreed title');
    await reloaded.getByRole('button', { name: 'Save changes' }).click();
    await expect(reloaded.getByRole('status')).toHaveText('Saved.');
    expect((await getJson(request, token, `/contacts/${contact.contact_id}`)).title).toBe('Agreed title');
  });
});
