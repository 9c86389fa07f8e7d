// The foundation: sign-in page, hydration, the app frame, sign-out, the session cookie,
// and the REST auth endpoints. Demo data (`serve --demo`) provides admin@example.com / admin123.
import type { Locator, Page } from '@playwright/test';
import { test, expect, expectPath, expectNoHorizontalOverflow, pathOf } from './fixtures';

const ADMIN = { email: 'admin@example.com', password: 'admin123' };
const NAV_LINKS = [
  'Dashboard',
  'Accounts',
  'Contacts',
  'Leads',
  'Opportunities',
  'Activities',
  'Tasks',
  'Orders',
  'Visits',
  'Ask',
];
const SESSION_COOKIE = 'lanes_session';

function loginForm(page: Page) {
  return {
    email: page.getByLabel('Email', { exact: true }),
    password: page.getByLabel('Password', { exact: true }),
    submit: page.getByRole('button', { name: 'Sign in', exact: true }),
    showPassword: page.getByRole('button', { name: 'Show password' }),
  };
}

/**
 * Clicks "Show password" until the password input turns into a text input. A click before
 * the WASM bundle has hydrated the page does nothing, so this also waits for hydration.
 */
async function showPasswordOnceHydrated(page: Page): Promise<void> {
  const { password, showPassword } = loginForm(page);
  await expect(async () => {
    if ((await password.getAttribute('type')) !== 'text') await showPassword.click();
    await expect(password).toHaveAttribute('type', 'text', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

/** Opens /login, waits for hydration and submits the given credentials. */
async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await showPasswordOnceHydrated(page);
  const form = loginForm(page);
  await form.email.fill(email);
  await form.password.fill(password);
  await form.submit.click();
}

async function signInAsAdmin(page: Page): Promise<void> {
  await submitLogin(page, ADMIN.email, ADMIN.password);
  await expectPath(page, '/');
}

/**
 * Makes `target` visible: on narrow screens the navigation may sit behind a "Menu" button.
 * Retries the click because a button does nothing until the page has hydrated.
 */
async function revealBehindMenu(page: Page, target: Locator): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menu' }).filter({ visible: true }).first();
  await expect(async () => {
    if (!(await target.isVisible()) && (await menu.isVisible())) await menu.click();
    await expect(target).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}

test.describe('signed out', () => {
  test('/ redirects to /login', async ({ page }) => {
    await page.goto('/');
    await expectPath(page, '/login');
    await expect(loginForm(page).submit).toBeVisible();
  });

  test('login page has labelled fields and hydrates', async ({ page }, testInfo) => {
    await page.goto('/login');
    const form = loginForm(page);
    await expect(form.email).toBeVisible();
    await expect(form.email).toHaveAttribute('type', 'email');
    await expect(form.email).toHaveAttribute('name', 'email');
    await expect(form.password).toBeVisible();
    await expect(form.password).toHaveAttribute('type', 'password');
    await expect(form.password).toHaveAttribute('name', 'password');
    await expect(form.submit).toBeVisible();
    await expect(form.showPassword).toHaveAttribute('type', 'button');
    await page.screenshot({ path: testInfo.outputPath('login.png'), fullPage: true });

    // Only the hydrated app can do this.
    await showPasswordOnceHydrated(page);
  });

  test.describe('wrong password', () => {
    // Chromium logs "Failed to load resource: ... 401" when the server rejects the login;
    // a 4xx answer to bad credentials is correct, so it is not an error of the page.
    test.use({ allowedConsoleErrors: [/Failed to load resource: the server responded with a status of 4\d\d/] });

    test('shows an alert and keeps the email', async ({ page, context }) => {
      await submitLogin(page, ADMIN.email, 'wrong-password');
      await expect(page.getByRole('alert').filter({ hasText: 'Invalid email or password' })).toBeVisible();
      await expect(loginForm(page).email).toHaveValue(ADMIN.email);
      expect(pathOf(page)).toBe('/login');
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === SESSION_COOKIE && c.value !== '')).toBeUndefined();
    });
  });
});

test('demo admin signs in and sees the app frame', async ({ page }, testInfo) => {
  await signInAsAdmin(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  // Wait for the frame before the screenshot (on a phone the nav may be collapsed).
  await expect(nav.or(page.getByRole('button', { name: 'Menu' })).first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('app-frame.png'), fullPage: true });

  await revealBehindMenu(page, nav.getByRole('link', { name: NAV_LINKS[0], exact: true }));
  for (const name of NAV_LINKS) {
    await expect(nav.getByRole('link', { name, exact: true })).toBeVisible();
  }

  if (testInfo.project.name === 'phone') {
    await page.screenshot({ path: testInfo.outputPath('app-frame-menu.png'), fullPage: true });
    // Header, or the opened menu on a phone.
    await expect(page.getByText(ADMIN.email).filter({ visible: true }).first()).toBeVisible();
  } else {
    await expect(page.locator('header').getByText(ADMIN.email)).toBeVisible();
  }
});

test('session cookie is HttpOnly and SameSite=Lax', async ({ page, context }) => {
  await signInAsAdmin(page);
  const session = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  expect(session, `a cookie named ${SESSION_COOKIE}`).toBeDefined();
  expect(session!.value).not.toBe('');
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe('Lax');
  expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);
});

test('Sign out ends the session', async ({ page }) => {
  await signInAsAdmin(page);
  // In the header on every screen size: opening the phone menu would only cover it.
  const signOut = page.getByRole('button', { name: 'Sign out' });
  await expect(signOut).toBeVisible();
  // Retried: the button may do nothing until the page has hydrated.
  await expect(async () => {
    if (pathOf(page) !== '/login' && (await signOut.isVisible())) await signOut.click();
    await expect.poll(() => pathOf(page), { timeout: 2_000 }).toBe('/login');
  }).toPass({ timeout: 30_000 });

  await page.goto('/');
  await expectPath(page, '/login');
});

test('phone: login page and app frame fit the screen width', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'phone layout only');
  await page.goto('/login');
  await expect(loginForm(page).submit).toBeVisible();
  await expectNoHorizontalOverflow(page);

  await signInAsAdmin(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(page.getByRole('button', { name: 'Menu' }).or(nav).first()).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await revealBehindMenu(page, nav.getByRole('link', { name: 'Dashboard', exact: true }));
  await expectNoHorizontalOverflow(page);
});

test.describe('REST API', () => {
  // Plain HTTP: no browser involved, so run it once.
  test.beforeEach(async ({}, testInfo) => {
    test.skip(testInfo.project.name !== 'desktop', 'runs in the desktop project only');
  });

  test('GET /health reports a connected database', async ({ request }) => {
    const res = await request.get('/health');
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('application/json');
    const body = await res.json();
    expect(body.status).toBe('healthy');
    expect(body.database).toBe('connected');
  });

  test('POST /auth/login issues a bearer token that GET /auth/me accepts', async ({ request }) => {
    const login = await request.post('/auth/login', { data: ADMIN });
    expect(login.status()).toBe(200);
    const token = await login.json();
    expect(typeof token.access_token).toBe('string');
    expect(token.access_token.length).toBeGreaterThan(0);
    expect(token.token_type).toBe('bearer');
    expect(token.expires_in).toBe(3600);

    const me = await request.get('/auth/me', {
      headers: { Authorization: `Bearer ${token.access_token}` },
    });
    expect(me.status()).toBe(200);
    const user = await me.json();
    expect(user.email).toBe(ADMIN.email);
    expect(user.role).toBe('admin');
    expect(await me.text()).not.toMatch(/password|\$argon2/i);
  });

  test('GET /auth/me without a token is 401 with a detail', async ({ request }) => {
    const res = await request.get('/auth/me');
    expect(res.status()).toBe(401);
    const body = await res.json();
    expect(typeof body.detail).toBe('string');
  });

  test('GET /auth/me with a malformed token is 401', async ({ request }) => {
    const res = await request.get('/auth/me', { headers: { Authorization: 'Bearer not-a-jwt' } });
    expect(res.status()).toBe(401);
    expect(typeof (await res.json()).detail).toBe('string');
  });
});
