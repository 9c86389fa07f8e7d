// REST helpers shared by the browser tests: sign in through the API (no login page), and read
// records back to check what the UI did.
import type { APIRequestContext, BrowserContext } from '@playwright/test';
import { expect } from './fixtures';

/** The demo admin `serve --demo` creates. */
export const ADMIN = { email: 'admin@example.com', password: 'admin123' };
export const SESSION_COOKIE = 'lanes_session';

/** POST /auth/login through the API; the access token. */
export async function apiToken(request: APIRequestContext, credentials: { email: string; password: string }): Promise<string> {
  const res = await request.post('/auth/login', { data: credentials });
  expect(res.status(), `login of ${credentials.email}`).toBe(200);
  const token = (await res.json()).access_token;
  expect(typeof token).toBe('string');
  return token;
}

export function bearer(token: string) {
  return { headers: { Authorization: `Bearer ${token}` } };
}

/** GET `path` with the token; the JSON body (the status must be 200). */
export async function getJson(request: APIRequestContext, token: string, path: string) {
  const res = await request.get(path, bearer(token));
  expect(res.status(), `GET ${path}`).toBe(200);
  return res.json();
}

/** Signs the browser context in with `token` (the session cookie), without the login page. */
export async function signInBrowser(context: BrowserContext, baseURL: string | undefined, token: string): Promise<void> {
  expect(baseURL, 'baseURL is set in playwright.config.ts').toBeTruthy();
  await context.addCookies([{ name: SESSION_COOKIE, value: token, url: baseURL! }]);
}

/** Signs the browser in as the demo admin; the admin's bearer token for REST checks. */
export async function signInAsAdmin(request: APIRequestContext, context: BrowserContext, baseURL: string | undefined) {
  const token = await apiToken(request, ADMIN);
  await signInBrowser(context, baseURL, token);
  return token;
}
