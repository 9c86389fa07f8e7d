// The notification bell: a task reminder that falls due shows up in the bell (fired by the
// server's reminder worker, nobody asks for it), and "Mark all read" clears the count.
import { test, expect, expectNoHorizontalOverflow } from './fixtures';
import { bearer, getJson, signInAsAdmin } from './api';

test('a due reminder rings the bell; mark all read clears it', async ({ page, request, context, baseURL }, testInfo) => {
  const token = await signInAsAdmin(request, context, baseURL);
  const me = await getJson(request, token, '/auth/me');
  const title = `Reminder test ${testInfo.project.name} ${Date.now()}`;
  const created = await request.post('/tasks', {
    ...bearer(token),
    data: { title, due_date: '2030-01-01T09:00:00Z', reminder_date: '2020-01-01T09:00:00Z', assigned_to: me.user_id },
  });
  expect(created.status()).toBe(201);
  // The worker sweeps every second in the tests (LANES_REMINDER_INTERVAL_SECS=1).
  await expect
    .poll(async () => (await getJson(request, token, '/notifications?limit=200')).notifications.map((n: { title: string }) => n.title))
    .toContain(`Reminder: ${title}`);

  await page.goto('/');
  const bell = page.getByTestId('bell');
  await expect(page.getByTestId('bell-count')).toBeVisible();
  await expect(bell).toHaveAttribute('aria-label', /Notifications, \d+ unread/);
  const panel = page.getByTestId('bell-panel');
  await expect(async () => {
    if (!(await panel.isVisible())) await bell.click();
    await expect(panel).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(panel).toContainText(`Reminder: ${title}`);
  await page.screenshot({ path: testInfo.outputPath('notifications.png'), fullPage: true });
  if (testInfo.project.name === 'phone') await expectNoHorizontalOverflow(page);

  await panel.getByRole('button', { name: 'Mark all read' }).click();
  await expect(page.getByTestId('bell-count')).toHaveCount(0);
  await expect(bell).toHaveAttribute('aria-label', 'Notifications');
  expect((await getJson(request, token, '/notifications')).unread_count).toBe(0);
});
