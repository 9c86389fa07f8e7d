// Compose mail from an account page: to a contact (address prefilled) with an uploaded
// attachment, through Office 365 — here the stand-in end2end/o365-standin.mjs, which records
// what Lanes sent — and the sent mail shows in the account's activity timeline. A refusal by
// Graph shows its reason above the button.
import type { APIRequestContext } from '@playwright/test';
import { test, expect } from './fixtures';
import { bearer, getJson, signInAsAdmin } from './api';

const STAND_IN = process.env.LANES_E2E_O365_URL!;

function unique(prefix: string): string {
  return `${prefix} ${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
}

async function created(request: APIRequestContext, token: string, path: string, data: object) {
  const res = await request.post(path, { ...bearer(token), data });
  expect(res.status(), `POST ${path}: ${await res.text()}`).toBe(201);
  return res.json();
}

type Received = { method: string; path: string; authorization: string | null; body: any };

/**
 * Marks the admin's notifications read. The bell renders its unread count without a
 * <Suspense>, so with unread notifications (the demo's reminders fire within a second) the
 * server's HTML and the hydrating app disagree and hydration panics — a bug of the bell, not of
 * this form; reported, worked around here.
 */
async function clearBell(request: APIRequestContext, token: string) {
  const res = await request.put('/notifications/read-all', bearer(token));
  expect(res.status()).toBe(200);
}

async function receivedBy(request: APIRequestContext): Promise<Received[]> {
  const res = await request.get(`${STAND_IN}/__received`);
  expect(res.status()).toBe(200);
  return res.json();
}

test.describe('compose mail', () => {
  test.use({ allowedConsoleErrors: [/Failed to load resource: the server responded with a status of 502/] });

  test('a mail to a contact with an attachment is sent through Office 365 and shows in the timeline', async ({ page, request, context, baseURL }, testInfo) => {
    const token = await signInAsAdmin(request, context, baseURL);
    const account = await created(request, token, '/accounts', { name: unique('Mail Harbour'), email: 'desk@harbour.example.com' });
    const address = `anouk.${Date.now()}@harbour.example.com`;
    const contact = await created(request, token, '/contacts', { account_id: account.account_id, first_name: 'Anouk', last_name: 'Visser', email: address });
    const subject = unique(`Rate card ${testInfo.project.name}`);
    await clearBell(request, token);

    await page.goto(`/accounts/${account.account_id}`);
    const row = page.locator(`li[data-contact-id="${contact.contact_id}"]`);
    const toggle = row.getByRole('button', { name: 'Email' });
    await expect(toggle).toBeEnabled({ timeout: 30_000 });
    await toggle.click();
    const form = row.getByRole('form', { name: 'Compose email' });
    await expect(form).toBeVisible();
    await expect(form.getByLabel('To', { exact: true })).toHaveValue(address);
    await form.getByLabel('Subject', { exact: true }).fill(subject);
    await form.getByLabel('Message', { exact: true }).fill('Hello Anouk,\n\nour rates <2025> are attached.');
    await form.getByLabel(/Attachment/).setInputFiles({ name: 'rates.txt', mimeType: 'text/plain', buffer: Buffer.from('Pallet: 42 EUR') });
    await form.getByRole('button', { name: 'Send email' }).click();

    const timeline = page.locator('section[data-section="activities"]');
    await expect(timeline).toContainText(subject);

    // What Office 365 received: the message in the sender's mailbox, then its send.
    const received = await receivedBy(request);
    const create = received.find((r) => r.method === 'POST' && r.path.endsWith('/messages') && r.body?.subject === subject);
    expect(create, 'the message was created at Graph').toBeTruthy();
    expect(create!.path).toBe('/v1.0/users/sales@lanes.example/messages');
    expect(create!.authorization).toBe('Bearer e2e-graph-token');
    expect(create!.body.toRecipients).toEqual([{ emailAddress: { address } }]);
    expect(create!.body.body).toEqual({ contentType: 'HTML', content: '<p>Hello Anouk,</p><p>our rates &lt;2025&gt; are attached.</p>' });
    expect(create!.body.attachments).toHaveLength(1);
    expect(create!.body.attachments[0]).toMatchObject({ '@odata.type': '#microsoft.graph.fileAttachment', name: 'rates.txt', contentType: 'text/plain', contentBytes: Buffer.from('Pallet: 42 EUR').toString('base64') });
    const index = received.indexOf(create!);
    expect(received[index + 1].path).toMatch(/^\/v1\.0\/users\/sales@lanes\.example\/messages\/E2E-MESSAGE-\d+\/send$/);

    // Logged on the contact and its account.
    const activities = await getJson(request, token, `/activities?contact_id=${contact.contact_id}`);
    const logged = activities.activities.find((a: { subject: string }) => a.subject === subject);
    expect(logged).toMatchObject({ activity_type: 'email', status: 'completed', account_id: account.account_id });
    expect(logged.description).toContain('Attachments: rates.txt');
    await page.screenshot({ path: testInfo.outputPath('mail-sent.png'), fullPage: true });
  });

  test("Graph's refusal is shown, and nothing is logged", async ({ page, request, context, baseURL }) => {
    const token = await signInAsAdmin(request, context, baseURL);
    const account = await created(request, token, '/accounts', { name: unique('Mail Refused'), email: 'desk@refused.example.com' });
    await clearBell(request, token);
    await page.goto(`/accounts/${account.account_id}`);
    const toggle = page.getByRole('button', { name: 'Email' }).first();
    await expect(toggle).toBeEnabled({ timeout: 30_000 });
    await toggle.click();
    const form = page.getByRole('form', { name: 'Compose email' }).first();
    await expect(form.getByLabel('To', { exact: true })).toHaveValue('desk@refused.example.com');
    await form.getByLabel('Subject', { exact: true }).fill('[graph-error] Offer');
    await form.getByLabel('Message', { exact: true }).fill('Hi');
    await form.getByRole('button', { name: 'Send email' }).click();
    await expect(form.getByRole('alert')).toContainText('ErrorInvalidRecipients');
    const activities = await getJson(request, token, `/activities?account_id=${account.account_id}`);
    expect(activities.activities).toHaveLength(0);
  });
});
