// The account pages: the list at `/accounts` (search, filters, paging, "New account") and one
// account at `/accounts/:id` (facts, figures, contacts, tasks, "Log a call").
// Every test shares ONE server and database (workers: 1), so each creates the records it
// changes under a unique name and relies on nothing an earlier test did.
// The browser signs in with a token from POST /auth/login set as the session cookie.
import type { APIRequestContext, Page } from '@playwright/test';
import { test, expect, expectNoHorizontalOverflow } from './fixtures';
import { bearer, getJson, signInAsAdmin } from './api';

/** A refused server function is a 4xx, which Chromium logs as a failed resource. */
const REFUSED_REQUEST = /Failed to load resource: the server responded with a status of 4\d\d/;

function unique(prefix: string): string {
  return `${prefix} ${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
}

/** POST /accounts; the new account's id. */
async function createAccountViaRest(request: APIRequestContext, token: string, name: string): Promise<string> {
  const res = await request.post('/accounts', {
    ...bearer(token),
    data: { name, account_type: 'customer', industry: 'Logistics', city: 'Rotterdam', country: 'Netherlands', phone: '+31 10 123 4567', email: 'ops@example.com', website: 'https://example.com' },
  });
  expect(res.status(), `POST /accounts: ${await res.text()}`).toBe(201);
  return (await res.json()).account_id;
}

/** Opens the "New account" form; its submit button once the page is hydrated. */
async function openNewAccountForm(page: Page) {
  const form = page.getByRole('form', { name: 'New account' });
  if (!(await form.isVisible())) await page.locator('summary', { hasText: 'New account' }).click();
  await expect(form).toBeVisible();
  const submit = form.getByRole('button', { name: 'Create account' });
  await expect(submit).toBeEnabled({ timeout: 30_000 });
  return form;
}

test.describe('the accounts list', () => {
  test('an account created with the form tops the list and the REST API finds it', async ({ page, context, request, baseURL }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
    const token = await signInAsAdmin(request, context, baseURL);
    const name = unique('Harbour Freight');
    await page.goto('/accounts');
    await expect(page.getByRole('heading', { name: 'Accounts', exact: true })).toBeVisible();
    const form = await openNewAccountForm(page);

    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Type').selectOption('customer');
    await form.getByLabel('Industry').fill('Logistics');
    await form.getByLabel('City').fill('Hamburg');
    await form.getByLabel('Country').fill('Germany');
    await form.getByLabel('Email').fill('desk@harbour.example.com');
    await form.getByLabel('Annual revenue').fill('2500000');
    await form.getByRole('button', { name: 'Create account' }).click();

    await expect(form.getByRole('status')).toContainText(name);
    const first = page.getByTestId('account-list').locator('li[data-account-id]').first();
    await expect(first).toContainText(name);
    await expect(first).toContainText('Customer');
    await expect(first).toContainText('Hamburg');
    await expect(form.getByLabel('Name'), 'the form resets after a save').toHaveValue('');

    const found = await getJson(request, token, `/accounts?q=${encodeURIComponent(name)}`);
    expect(found.accounts.map((a: { name: string }) => a.name)).toEqual([name]);
    const account = found.accounts[0];
    expect(account.account_type).toBe('customer');
    expect(account.city).toBe('Hamburg');
    expect(account.annual_revenue).toBe(2500000);
    expect(await first.getAttribute('data-account-id')).toBe(account.account_id);

    // Searching narrows the list to it; its name links to the account page.
    await page.getByLabel('Search accounts').fill(name);
    await expect(page.getByTestId('account-list').locator('li[data-account-id]')).toHaveCount(1);
    await page.getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/accounts/${account.account_id}$`));
  });

  test('filters, an empty result and "Load more"', async ({ page, context, request, baseURL }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
    const token = await signInAsAdmin(request, context, baseURL);
    const all = await getJson(request, token, '/accounts?limit=1000');
    const inactive = await getJson(request, token, '/accounts?status=inactive&limit=1000');
    await page.goto('/accounts');
    const rows = page.getByTestId('account-list').locator('li[data-account-id]');
    await expect(rows.first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Search', exact: true })).toBeVisible();
    await expect(rows).toHaveCount(Math.min(all.count, 25));

    if (all.count > 25) {
      const more = page.getByRole('button', { name: 'Load more' });
      await expect(more).toBeEnabled({ timeout: 30_000 });
      await more.click();
      await expect(rows).toHaveCount(Math.min(all.count, 50));
    }

    await expect(async () => {
      await page.getByLabel('Status').selectOption('inactive');
      await expect(rows).toHaveCount(Math.min(inactive.count, 25), { timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await page.getByLabel('Status').selectOption('');

    await page.getByLabel('Search accounts').fill('zz-no-such-account-zz');
    await expect(page.getByText('No accounts match')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('accounts-empty.png'), fullPage: true });
  });

  test.describe('with a refused save', () => {
    test.use({ allowedConsoleErrors: [REFUSED_REQUEST] });

    test("the server's message shows next to the field and nothing typed is lost", async ({ page, context, request, baseURL }, testInfo) => {
      test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
      const token = await signInAsAdmin(request, context, baseURL);
      const name = unique('Bad Email Ltd');
      await page.goto('/accounts');
      const form = await openNewAccountForm(page);

      // Checked in the browser first: a name is required.
      await form.getByRole('button', { name: 'Create account' }).click();
      await expect(page.locator('#new-account-name-error')).toBeVisible();
      await expect(form.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');

      await form.getByLabel('Name').fill(name);
      await form.getByLabel('City').fill('Lyon');
      await form.getByLabel('Email').fill('not-an-email');
      await form.getByRole('button', { name: 'Create account' }).click();

      const message = page.locator('#new-account-email-error');
      await expect(message).toBeVisible();
      await expect(message).toHaveAttribute('role', 'alert');
      await expect(message).toContainText('email');
      await expect(form.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
      await expect(form.getByLabel('Email')).toHaveAttribute('aria-describedby', 'new-account-email-error');
      await expect(page.locator('#new-account-name-error')).toHaveCount(0);
      await expect(form.getByLabel('Name')).toHaveValue(name);
      await expect(form.getByLabel('City')).toHaveValue('Lyon');
      await expect(form.getByLabel('Email')).toHaveValue('not-an-email');
      await page.screenshot({ path: testInfo.outputPath('accounts-invalid-email.png'), fullPage: true });

      const found = await getJson(request, token, `/accounts?q=${encodeURIComponent(name)}`);
      expect(found.accounts).toEqual([]);
    });
  });
});

test.describe('the account page', () => {
  test('add a contact, log a call, add and complete a task', async ({ page, context, request, baseURL }, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
    const token = await signInAsAdmin(request, context, baseURL);
    const name = unique('Canal Logistics');
    const id = await createAccountViaRest(request, token, name);
    await page.goto(`/accounts/${id}`);
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page.locator('[data-figure="Opportunities"]').getByTestId('figure-value')).toHaveText('0');
    await expect(page.getByText('Rotterdam, Netherlands')).toBeVisible();

    // A contact.
    const contacts = page.getByRole('region', { name: /^Contacts/ });
    const contactForm = page.getByRole('form', { name: 'Add a contact' });
    await expect(contactForm.getByRole('button', { name: 'Add contact' })).toBeEnabled({ timeout: 30_000 });
    const lastName = `Visser-${Date.now()}`;
    await contactForm.getByLabel('First name').fill('Anouk');
    await contactForm.getByLabel('Last name').fill(lastName);
    await contactForm.getByLabel('Email').fill('anouk@canal.example.com');
    await contactForm.getByRole('button', { name: 'Add contact' }).click();
    await expect(contacts.getByText(`Anouk ${lastName}`)).toBeVisible();
    await expect(page.locator('[data-figure="Active contacts"]').getByTestId('figure-value')).toHaveText('1');
    const listed = await getJson(request, token, `/contacts?account_id=${id}`);
    expect(listed.contacts.map((c: { last_name: string }) => c.last_name)).toEqual([lastName]);
    expect(listed.contacts[0].email).toBe('anouk@canal.example.com');

    // A call.
    const callForm = page.getByRole('form', { name: 'Log a call' });
    const subject = unique('Rate review');
    await callForm.getByLabel('Subject').fill(subject);
    await callForm.getByLabel('Outcome').fill('Agreed on Q3 rates');
    await callForm.getByRole('button', { name: 'Log call' }).click();
    const activities = page.getByRole('region', { name: /^Activities/ });
    await expect(activities.locator('li[data-activity-id]').first()).toContainText(subject);
    await expect(activities.locator('li[data-activity-id]').first()).toContainText('Completed');
    const calls = await getJson(request, token, `/activities?account_id=${id}&activity_type=call`);
    expect(calls.activities).toHaveLength(1);
    expect(calls.activities[0]).toMatchObject({ subject, status: 'completed', activity_type: 'call', outcome: 'Agreed on Q3 rates' });

    // A task, then "Complete".
    const taskForm = page.getByRole('form', { name: 'Add a task' });
    const title = unique('Send contract');
    await taskForm.getByLabel('Title').fill(title);
    await taskForm.getByLabel('Due date').fill('2031-03-15');
    await taskForm.getByRole('button', { name: 'Add task' }).click();
    const task = page.getByRole('region', { name: /^Tasks/ }).locator('li[data-task-id]').filter({ hasText: title });
    await expect(task).toHaveAttribute('data-status', 'pending');
    await expect(task).toContainText('due 2031-03-15');
    await expect(page.locator('[data-figure="Pending tasks"]').getByTestId('figure-value')).toHaveText('1');
    const taskId = (await task.getAttribute('data-task-id'))!;
    expect((await getJson(request, token, `/tasks/${taskId}`)).status).toBe('pending');

    await task.getByRole('button', { name: `Complete ${title}` }).click();
    await expect(task).toHaveAttribute('data-status', 'completed');
    await expect(task.getByRole('button', { name: `Complete ${title}` })).toHaveCount(0);
    await expect(page.locator('[data-figure="Pending tasks"]').getByTestId('figure-value')).toHaveText('0');
    const done = await getJson(request, token, `/tasks/${taskId}`);
    expect(done.status).toBe('completed');
    expect(done.completed_at).toBeTruthy();
    await page.screenshot({ path: testInfo.outputPath('account-page.png'), fullPage: true });
  });

  test.describe('that does not exist', () => {
    test.use({ allowedConsoleErrors: [REFUSED_REQUEST] });

    test('says "Account not found" with a 404', async ({ page, context, request, baseURL }, testInfo) => {
      test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
      await signInAsAdmin(request, context, baseURL);
      const response = await page.goto('/accounts/ACC_ZZZZZZZZ');
      expect(response?.status()).toBe(404);
      await expect(page.getByRole('heading', { name: 'Account not found' })).toBeVisible();
      await expect(page.getByRole('link', { name: 'Back to accounts' })).toBeVisible();
    });
  });
});

test('on a phone the accounts list and an account page fit the screen', async ({ page, context, request, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'runs in the phone project only');
  const token = await signInAsAdmin(request, context, baseURL);
  await page.goto('/accounts');
  const rows = page.getByTestId('account-list').locator('li[data-account-id]');
  await expect(rows.first()).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await page.locator('summary', { hasText: 'New account' }).click();
  await expect(page.getByRole('form', { name: 'New account' })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: testInfo.outputPath('accounts-phone.png'), fullPage: true });

  // A demo account with deals, plus one with a very long name.
  const deals = await getJson(request, token, '/opportunities?limit=1');
  expect(deals.opportunities.length, 'the demo data has deals').toBe(1);
  const longName = unique('Internationale Spedition und Lagerhaltung Gesellschaft mit beschränkter Haftung');
  const id = await createAccountViaRest(request, token, longName);
  for (const path of [`/accounts/${deals.opportunities[0].account_id}`, `/accounts/${id}`]) {
    await page.goto(path);
    await expect(page.getByRole('form', { name: 'Log a call' })).toBeVisible();
    await expectNoHorizontalOverflow(page);
  }
  await page.screenshot({ path: testInfo.outputPath('account-phone.png'), fullPage: true });
});
