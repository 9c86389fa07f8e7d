// The ask page: a question over the demo data, answered the same as POST /llm_query answers it;
// example questions; the server's refusal shown; no sideways scrolling on a phone.
import { test, expect, expectNoHorizontalOverflow } from './fixtures';
import { bearer, signInAsAdmin } from './api';

async function restAnswer(request: import('@playwright/test').APIRequestContext, token: string, query: string) {
  const res = await request.post('/llm_query', { ...bearer(token), data: { query } });
  expect(res.status(), `POST /llm_query ${query}`).toBe(200);
  return res.json();
}

test('ask a question and get the same answer as the REST API', async ({ page, request, context, baseURL }, testInfo) => {
  const token = await signInAsAdmin(request, context, baseURL);
  const question = 'How many open deals are there?';
  const rest = await restAnswer(request, token, question);
  expect(rest.result.count).toBeGreaterThan(0);

  await page.goto('/ask');
  await expect(page.getByRole('heading', { name: 'Ask Lanes' })).toBeVisible();
  await page.getByLabel('Your question').fill(question);
  await page.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(page.getByTestId('ask-natural')).toHaveText(rest.natural_response);
  await expect(page.getByTestId('ask-understood')).toHaveText(rest.understood_as);
  await expect(page.getByTestId('ask-count')).toHaveText(`${rest.result.count} matching`);
  const shown = await page.getByTestId('ask-records').locator('li[data-id]').evaluateAll((items) =>
    items.map((item) => item.getAttribute('data-id')),
  );
  expect(shown).toEqual(rest.result.opportunities.map((o: { opportunity_id: string }) => o.opportunity_id));
  // Each record links to its account's page.
  const first = rest.result.opportunities[0];
  await expect(page.locator(`li[data-id="${first.opportunity_id}"] a`)).toHaveAttribute('href', `/accounts/${first.account_id}`);
  await page.screenshot({ path: testInfo.outputPath('ask-answer.png'), fullPage: true });
  if (testInfo.project.name === 'phone') await expectNoHorizontalOverflow(page);
});

test('an example question answers with groups', async ({ page, request, context, baseURL }, testInfo) => {
  const token = await signInAsAdmin(request, context, baseURL);
  const rest = await restAnswer(request, token, 'Pipeline value by stage');
  await page.goto('/ask');
  await page.getByTestId('ask-examples').getByRole('link', { name: 'Pipeline value by stage' }).click();
  await expect(page).toHaveURL(/\/ask\?q=Pipeline/);
  await expect(page.getByTestId('ask-natural')).toHaveText(rest.natural_response);
  const groups = page.getByTestId('ask-groups').locator('tbody tr');
  await expect(groups).toHaveCount(rest.result.groups.length);
  await page.screenshot({ path: testInfo.outputPath('ask-groups.png'), fullPage: true });
  if (testInfo.project.name === 'phone') await expectNoHorizontalOverflow(page);
});


test('a question the engine cannot place shows the reason', async ({ page, request, context, baseURL }, testInfo) => {
  await signInAsAdmin(request, context, baseURL);
  // Rendered on the server from the URL: the answer is in the first HTML.
  await page.goto('/ask?q=What%20is%20the%20meaning%20of%20life%3F');
  await expect(page.getByRole('alert')).toContainText('I could not tell which records');
  await expect(page.getByLabel('Your question')).toHaveValue('What is the meaning of life?');
  await page.screenshot({ path: testInfo.outputPath('ask-error.png'), fullPage: true });
  if (testInfo.project.name === 'phone') await expectNoHorizontalOverflow(page);
});
