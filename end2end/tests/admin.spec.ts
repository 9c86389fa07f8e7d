// /admin/users: an admin creates a user, changes the role and deactivates them; checked
// through the REST API. Non-admins are refused by the server.
import { test, expect } from './fixtures';
import { ADMIN, apiToken, bearer, signInBrowser } from './api';

test('admin manages users', async ({ page, request, context, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'desktop only (one shared database)');
  const admin = await apiToken(request, ADMIN);
  await signInBrowser(context, baseURL, admin);
  const email = `new.rep.${Date.now()}@example.com`;

  await page.goto('/admin/users');
  await expect(page.getByTestId('user-list')).toContainText('admin@example.com');
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'New user' }) });
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill('short');
  // Checked in the browser with the server's own rule (so this also waits for hydration).
  await expect(async () => {
    await form.getByRole('button', { name: 'Create user' }).click();
    await expect(form.getByText('password: must be at least 10 characters')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(form.getByLabel('Email')).toHaveValue(email);

  await form.getByLabel('Password').fill('a-long-password-1');
  await form.getByRole('button', { name: 'Create user' }).click();
  const row = page.getByTestId('user-list').locator('li').filter({ hasText: email });
  await expect(row).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('admin-users.png'), fullPage: true });

  await row.getByLabel(`Role of ${email}`).selectOption('viewer');
  const findUser = async () => {
    const res = await request.get('/users', bearer(admin));
    expect(res.status()).toBe(200);
    return (await res.json()).users.find((u: { email: string }) => u.email === email);
  };
  await expect.poll(async () => (await findUser())?.role).toBe('viewer');

  await row.getByRole('button', { name: `Deactivate ${email}` }).click();
  await expect.poll(async () => (await findUser())?.is_active).toBe(false);
  const login = await request.post('/auth/login', { data: { email, password: 'a-long-password-1' } });
  expect(login.status(), 'a deactivated user cannot sign in').toBe(401);
});
