// Browser tests for Lanes. They start the already-built release server
// (`cargo leptos build --release`) with demo data and a throwaway SQLite database,
// and drive Debian's Chromium: no browser is ever downloaded (never `npx playwright install`).
//
// Run from the repo root:  npx playwright test -c end2end/playwright.config.ts
// Env: LANES_BIN (server binary, default target/release/lanes), LANES_E2E_PORT (default 8123).
import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..');
const port = Number(process.env.LANES_E2E_PORT ?? 8123);
const baseURL = `http://127.0.0.1:${port}`;
const lanesBin = path.resolve(repoRoot, process.env.LANES_BIN ?? 'target/release/lanes');
// The Office 365 stand-in (end2end/o365-standin.mjs) listens here; Lanes signs in and sends mail there.
const o365Port = Number(process.env.LANES_E2E_O365_PORT ?? port + 1000);
const o365StandIn = `http://127.0.0.1:${o365Port}`;
process.env.LANES_E2E_O365_URL = o365StandIn; // for the mail test, which reads what it received

// Playwright loads this file in the runner and again in every worker; workers inherit the
// runner's environment, so only the first load creates the database directory (and removes it).
if (!process.env.LANES_E2E_DB_DIR) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lanes-e2e-'));
  process.env.LANES_E2E_DB_DIR = dir;
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
}
const dbDir = process.env.LANES_E2E_DB_DIR;

const chromium = {
  browserName: 'chromium' as const,
  headless: true,
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1, // 2-core machine, and the server is shared
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    ...chromium,
    baseURL,
    screenshot: 'on',
    trace: 'retain-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
  },
  projects: [
    {
      name: 'desktop',
      use: { ...chromium, viewport: { width: 1280, height: 800 } },
    },
    {
      name: 'phone',
      use: {
        ...chromium,
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      },
    },
  ],
  webServer: [
    {
      command: `node ${JSON.stringify(path.join(__dirname, 'o365-standin.mjs'))} ${o365Port}`,
      url: `${o365StandIn}/health`,
      timeout: 10_000,
      reuseExistingServer: false,
    },
    {
      command: `${JSON.stringify(lanesBin)} serve --bind 127.0.0.1:${port} --demo`,
      cwd: repoRoot, // the server finds its assets at target/site relative to cwd
      url: `${baseURL}/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        DATABASE_URL: `sqlite://${dbDir}/e2e.db?mode=rwc`,
        LANES_JWT_SECRET: 'e2e-test-secret-0123456789abcdef0123456789abcdef0123456789abcdef',
        RUST_LOG: 'warn',
        LANES_REMINDER_INTERVAL_SECS: '1', // reminders fire within a second in the bell test
        LANES_O365_TENANT_ID: 'e2e-tenant',
        LANES_O365_CLIENT_ID: 'e2e-client',
        LANES_O365_CLIENT_SECRET: 'e2e-secret',
        LANES_O365_SENDER: 'sales@lanes.example',
        LANES_O365_LOGIN_URL: o365StandIn,
        LANES_O365_GRAPH_URL: `${o365StandIn}/v1.0`,
      },
    },
  ],
});
