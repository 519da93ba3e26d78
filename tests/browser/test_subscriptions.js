'use strict';
/* The subscriptions' pages in Chromium, at 1280x900 and on a 390-pixel-wide phone, as
 * test_pages.js checks every page: the answer, the language, a full-page screenshot
 * (NAME-desktop.png, NAME-phone.png), no sideways overflow, a visible focus at every Tab stop, a
 * clean console with the CSP on, and no WCAG 2.1 A or AA violation by axe-core. The form, its
 * error state, "check your inbox", the confirmation link's page and its button's answer, the
 * unsubscribe button and its answer, an unknown link; and the whole of it done with the keyboard
 * alone. The server has [mail] (to a port nobody listens on: the pages are what is tested here;
 * tests/http/test_subscriptions.py reads the mail). */
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const h = require('./harness');

const SEARCH = '/subscribe?q=integration&country=SE';
let addresses = 0;

/* a new address each time: the four checks of a page run at once */
function address() {
  return `reader${++addresses}@example.org`;
}

/* `praxis subscription add EMAIL --search Q [--confirmed]`, and its token */
function subscribe(server, confirmed) {
  const email = address();
  server.praxis(['subscription', 'add', email, '--search', 'q=integration&country=SE',
    ...(confirmed ? ['--confirmed'] : [])]);
  const line = server.praxis(['subscription', 'list']).split('\n')
    .find((row) => row.split('\t')[1] === email);
  return line.split('\t')[0];
}

/* fills the form in with @email as a person would, waits out its fill time, sends it */
async function send(tab, email) {
  const opened = Date.now();
  await tab.fill('input[name="email"]', email);
  await tab.check('input[name="frequency"][value="weekly"]');
  await h.waitFormAge(opened);
  const [response] = await Promise.all([tab.waitForNavigation(),
    tab.click('form[action="/subscribe"] button[type="submit"]')]);
  return response;
}

async function wrongAddress(tab) {
  const response = await send(tab, 'not an address');
  assert.equal(response.status(), 422);
  assert.equal(await tab.locator('.error-summary a[href="#email"]').count(), 1);
  assert.equal(await tab.getAttribute('#email', 'aria-invalid'), 'true');
}

async function sent(tab) {
  const response = await send(tab, address());
  assert.equal(response.status(), 200);
  assert.equal(await tab.locator('h1').innerText(), 'Check your inbox');
}

let server;
let browser;

/* a fresh subscription's unsubscribe page, its button pressed */
/* the confirmation link's page: its button pressed (the checks of one page share its link:
 * the first to press confirms, a later press or visit finds it confirmed) */
async function confirmed(tab) {
  const button = tab.getByRole('button', { name: 'Confirm', exact: true });
  if (await button.count() > 0) {
    const [response] = await Promise.all([tab.waitForNavigation(), button.click()]);
    assert.equal(response.status(), 200);
  }
  assert.match(await tab.locator('h1').innerText(), /You are subscribed/);
}

async function unsubscribed(tab) {
  await tab.goto(`${server.url}/unsubscribe?token=${subscribe(server, true)}`);
  const [response] = await Promise.all([tab.waitForNavigation(),
    tab.click('form button[type="submit"]')]);
  assert.equal(response.status(), 200);
  assert.match(await tab.locator('h1').innerText(), /unsubscribed|avslutad/);
}

const PAGES = [
  { name: 'subscribe', path: SEARCH },
  { name: 'subscribe-sv', path: SEARCH, lang: 'sv' },
  { name: 'subscribe-every-practice', path: '/subscribe' },
  { name: 'subscribe-error', path: SEARCH, then: wrongAddress },
  { name: 'subscribe-sent', path: SEARCH, then: sent },
  { name: 'subscription-confirm', path: (s) => `/subscriptions/confirm?token=${subscribe(s)}` },
  { name: 'subscription-confirm-sv', path: (s) => `/subscriptions/confirm?token=${subscribe(s)}`,
    lang: 'sv' },
  { name: 'subscription-confirmed', path: (s) => `/subscriptions/confirm?token=${subscribe(s)}`,
    then: confirmed },
  { name: 'unsubscribe', path: (s) => `/unsubscribe?token=${subscribe(s, true)}` },
  { name: 'unsubscribe-sv', path: (s) => `/unsubscribe?token=${subscribe(s, true)}`, lang: 'sv' },
  { name: 'unsubscribed', path: '/', then: unsubscribed },
  { name: 'subscription-unknown', path: '/subscriptions/confirm?token=nope', status: 404 },
];

before(async () => {
  server = await h.startServer({
    config: '[mail]\nsmtp_url=smtp://127.0.0.1:9\nfrom=praxis@example.org\n' +
      '[notify]\nmax_attempts=1\n',
  });
  browser = await h.launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function checkStrict(page, path, viewport) {
  const label = `${page.name} (${path}) at ${viewport}`;
  const context = await h.newContext(browser, viewport, { locale: page.lang || 'en' });
  try {
    const tab = await context.newPage();
    const watcher = h.watch(tab);
    const response = await tab.goto(server.url + path);
    assert.equal(response.status(), page.status || 200, label);
    assert.match(response.headers()['content-type'], /^text\/html/, label);
    await page.then?.(tab);
    assert.equal(await tab.getAttribute('html', 'lang'), page.lang || 'en', label);
    await h.screenshot(tab, `${page.name}-${viewport}`);
    await h.checkReflow(tab, label);
    const stops = await h.checkFocusVisible(tab, label);
    assert.ok(stops > 0, `${label}: the keyboard reaches nothing`);
    watcher.check(label);
  } finally {
    await context.close();
  }
}

async function checkAxe(page, path, viewport) {
  const context = await h.newContext(browser, viewport, { locale: page.lang || 'en', axe: true });
  try {
    const tab = await context.newPage();
    await tab.goto(server.url + path);
    await page.then?.(tab);
    await h.checkAxe(tab, `${page.name} (${path}) at ${viewport}`);
  } finally {
    await context.close();
  }
}

for (const page of PAGES) {
  test(page.name, async () => {
    const checks = Object.keys(h.VIEWPORTS).flatMap((viewport) => {
      const path = typeof page.path === 'function' ? page.path(server) : page.path;
      return [checkStrict(page, path, viewport), checkAxe(page, path, viewport)];
    });
    const failed = (await Promise.allSettled(checks)).filter((check) => check.status === 'rejected');
    if (failed.length > 0) {
      throw failed.length === 1 ? failed[0].reason : new AggregateError(
        failed.map((check) => check.reason), failed.map((check) => check.reason.message).join('\n'));
    }
  });
}

/* the keyboard alone: Tab to the address, type it, an arrow key picks the frequency, Tab to the
 * button, Enter; then to the unsubscribe page and its button */
test('subscribe and unsubscribe with the keyboard alone', async () => {
  const context = await h.newContext(browser, 'desktop');
  try {
    const tab = await context.newPage();
    const watcher = h.watch(tab);
    await tab.goto(server.url + SEARCH);
    const opened = Date.now();
    const email = address();
    for (let i = 0; i < 40 && await tab.evaluate(() => document.activeElement.id) !== 'email';
      i++) {
      await tab.keyboard.press('Tab');
    }
    assert.equal(await tab.evaluate(() => document.activeElement.id), 'email');
    await tab.keyboard.type(email);
    await tab.keyboard.press('Tab');
    await tab.keyboard.press('ArrowDown');
    assert.equal(await tab.evaluate(() => document.activeElement.value), 'weekly');
    await tab.keyboard.press('Tab');
    assert.equal(await tab.evaluate(() => document.activeElement.type), 'submit');
    await h.waitFormAge(opened);
    await Promise.all([tab.waitForNavigation(), tab.keyboard.press('Enter')]);
    assert.equal(await tab.locator('h1').innerText(), 'Check your inbox');
    const row = server.praxis(['subscription', 'list']).split('\n')
      .find((line) => line.split('\t')[1] === email);
    assert.ok(row, `${email} is not subscribed`);
    assert.equal(row.split('\t')[2], 'weekly');

    await tab.goto(`${server.url}/unsubscribe?token=${row.split('\t')[0]}`);
    for (let i = 0; i < 40 && await tab.evaluate(() => document.activeElement.type) !== 'submit';
      i++) {
      await tab.keyboard.press('Tab');
    }
    await Promise.all([tab.waitForNavigation(), tab.keyboard.press('Enter')]);
    assert.equal(await tab.locator('h1').innerText(), 'You are unsubscribed');
    assert.ok(!server.praxis(['subscription', 'list']).includes(email));
    watcher.check('the keyboard flow');
  } finally {
    await context.close();
  }
});
