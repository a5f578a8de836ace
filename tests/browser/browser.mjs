// Launches Debian's Chromium through playwright-core (which never downloads a browser), and
// watches pages for script errors and Content-Security-Policy refusals.

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.COLEAD_CHROMIUM || '/usr/bin/chromium';

/**
 * Launches the browser. With { media: true } it has fake microphones and cameras (a beep and a
 * moving test picture), grants them without asking, and lets calls connect over the loopback
 * interface (a machine with no other network), for the call's tests.
 */
export function launchBrowser({ media = false } = {}) {
  const fakeMedia = media ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
                             '--allow-loopback-in-peer-connection']
                          : [];
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           ...fakeMedia],
  });
}

/**
 * Opens a page in a fresh context (its own storage, like another person's browser) and
 * records every uncaught error and console error, CSP refusals included. A 404 for a
 * favicon is not an error of ours.
 */
export async function openPerson(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/favicon/.test(msg.location()?.url ?? '')) {
      problems.push(`console: ${msg.text()}`);
    }
  });
  return { context, page, problems };
}
