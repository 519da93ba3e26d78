'use strict';
/* Every page in Chromium, at 1280x900 and on a 390-pixel-wide phone: it answers, loads with the
 * CSP on and nothing in the console, its full-page screenshot is saved (NAME-desktop.png,
 * NAME-phone.png), nothing sticks out sideways, every element the Tab key reaches shows its focus,
 * and axe-core finds no WCAG 2.1 A or AA violation. */
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const h = require('./harness');

/* name: the screenshots' name; path: what to open, or a function of the server that makes it;
 * as: who is signed in (a key of USERS); status: the answer expected (200); lang: the language
 * the page must be in, asked for by the browser's Accept-Language (en); then: what to do on the
 * page before it is checked (send a form wrong: its error state). */
const PAGES = [
  { name: 'search', path: '/' },
  { name: 'search-results', path: '/?q=integration' },
  { name: 'search-no-hits', path: '/?q=qwxzvbnm' },
  { name: 'search-sv', path: '/?q=integration', lang: 'sv' },
  { name: 'search-filtered', path: '/?q=integration&country=SE&focus=interact' },
  { name: 'search-page-2', path: '/?page=2' },
  { name: 'search-did-you-mean', path: '/?q=Kristinstad' },
  { name: 'search-error', path: '/?q=language&sort=bogus', status: 400 },
  { name: 'practice', path: '/practices/1' },
  { name: 'practice-sv', path: '/practices/1', lang: 'sv' },
  { name: 'practice-member', path: '/practices/1', as: 'partner' },
  { name: 'not-found', path: '/no/such/page', status: 404 },
  { name: 'not-found-sv', path: '/no/such/page', status: 404, lang: 'sv' },
  { name: 'login', path: '/login' },
  { name: 'login-error', path: '/login', then: wrongPassword },
  { name: 'login-error-sv', path: '/login', then: wrongPassword, lang: 'sv' },
  { name: 'invite', path: invitation },
  { name: 'admin-users', path: '/admin/users', as: 'admin' },
  { name: 'submit', path: '/submit', as: 'partner' },
  { name: 'submit-error', path: '/submit', as: 'partner', then: sendWithoutTitle },
  { name: 'submit-preview', path: '/submit', as: 'partner', then: preview },
  { name: 'submitted', path: '/submit', as: 'partner', then: send },
  { name: 'my', path: '/my', as: 'partner' },
  { name: 'submit-edit', path: () => `/submit/${sentId}`, as: 'partner' },
  { name: 'admin', path: '/admin', as: 'admin' },
  { name: 'admin-practice', path: () => `/admin/practices/${sentId}`, as: 'admin' },
  { name: 'admin-practice-error', path: () => `/admin/practices/${sentId}`, as: 'admin',
    then: editWithoutTitle },
  { name: 'subscribe', path: '/subscribe?q=language&country=SE' },
  { name: 'subscribe-error', path: '/subscribe?q=language&country=SE', then: subscribeWrong },
  { name: 'subscribe-done', path: '/subscribe?q=language&country=SE', then: subscribe },
  { name: 'subscription-confirm', path: () => confirmPath },
  { name: 'subscription-confirmed', path: () => confirmPath, then: confirmed },
  { name: 'unsubscribe', path: unsubscribePath },
  // last: no sign-in from this client works for 15 minutes after it
  { name: 'login-too-many', path: '/login', then: tooManyFailures },
];

let failures = 0;

/* sends the sign-in form with a wrong password (for an address of its own each time, as the
 * failures per address signed in to are limited) and returns the answer */
async function signInWrong(tab) {
  await tab.fill('input[name="email"]', `nobody${++failures}@example.org`);
  await tab.fill('input[name="password"]', 'not the password');
  const [response] = await Promise.all([tab.waitForNavigation(),
    tab.click('form[action="/login"] button[type="submit"]')]);
  return response;
}

/* the sign-in form's error state: the answer fails, the fields are marked */
async function wrongPassword(tab) {
  const response = await signInWrong(tab);
  assert.ok(response.status() >= 400, `a wrong password answers ${response.status()}`);
  assert.ok(await tab.locator('[aria-invalid="true"]').count() > 0, 'no field is marked invalid');
}

/* failed sign-ins from one client address until the server says to wait (429); it must say so
 * within the limit of 10 */
async function tooManyFailures(tab) {
  for (let attempt = 0; attempt <= 10; attempt++) {
    const response = await signInWrong(tab);
    if (response.status() === 429) {
      return;
    }
    await tab.goto(new URL('/login', tab.url()).href);
  }
  assert.fail('11 failed sign-ins from one address and no 429');
}

let sentId;

/* fills the practice form in but for the title, as someone would, and waits out the form's
 * minimum fill time */
async function fillPractice(tab) {
  const opened = Date.now();
  await tab.fill('textarea[name="summary"]', 'Homework help in the library, twice a week.');
  await tab.fill('textarea[name="body"]', 'Volunteers *and* teachers.\n\n1. Maths\n2. Swedish');
  await tab.fill('input[name="country"]', 'SE');
  await tab.fill('input[name="year"]', 'last year');
  await h.waitFormAge(opened);
}

/* the practice form's error state: no title, a year that is no year */
async function sendWithoutTitle(tab) {
  await fillPractice(tab);
  const [response] = await Promise.all([tab.waitForNavigation(),
    tab.click('.form-actions button[type="submit"]')]);
  assert.equal(response.status(), 422);
  assert.equal(await tab.locator('.error-summary a[href="#title"]').count(), 1);
  assert.equal(await tab.locator('.error-summary a[href="#year"]').count(), 1);
}

/* the description's preview under the form */
async function preview(tab) {
  await fillPractice(tab);
  await Promise.all([tab.waitForNavigation(), tab.click('button[name="preview"]')]);
  assert.equal(await tab.locator('#preview .markdown em').innerText(), 'and');
}

/* a practice sent: the confirmation */
async function send(tab) {
  await fillPractice(tab);
  await tab.fill('input[name="title"]', 'Homework help in Lund');
  await tab.fill('input[name="year"]', '2025');
  await Promise.all([tab.waitForNavigation(), tab.click('.form-actions button[type="submit"]')]);
  const match = /\/submitted\?id=(\d+)$/.exec(tab.url());
  assert.ok(match, tab.url());
  sentId = match[1];
}

/* the moderator's edit form with the title removed: its error state */
async function editWithoutTitle(tab) {
  await tab.fill('form.practice-form input[name="title"]', '');
  const [response] = await Promise.all([tab.waitForNavigation(),
    tab.click('form.practice-form .form-actions button[type="submit"]')]);
  assert.equal(response.status(), 422);
  assert.equal(await tab.locator('.error-summary a[href="#title"]').count(), 1);
}

/* the subscription form sent with an address that is none */
async function subscribeWrong(tab) {
  const opened = Date.now();
  await tab.fill('input[name="email"]', 'not an address');
  await h.waitFormAge(opened);
  const [response] = await Promise.all([tab.waitForNavigation(),
    tab.click('form[action="/subscribe"] button[type="submit"]')]);
  assert.equal(response.status(), 422);
  assert.equal(await tab.getAttribute('input[name="email"]', 'aria-invalid'), 'true');
}

let subscribers = 0;
let confirmPath;

/* a subscription asked for: the page that says to look for the mail; the mail's link kept */
async function subscribe(tab) {
  const opened = Date.now();
  const email = `subscriber${++subscribers}@example.org`;
  await tab.fill('input[name="email"]', email);
  await h.waitFormAge(opened);
  const [response] = await Promise.all([tab.waitForNavigation(),
    tab.click('form[action="/subscribe"] button[type="submit"]')]);
  assert.equal(response.status(), 200);
  const mail = await sink.waitForMail((m) => m.to === email, 'to confirm');
  confirmPath = new URL(/\S*\/subscriptions\/confirm\?token=\S+/.exec(mail.text)[0]).pathname +
    new URL(/\S*\/subscriptions\/confirm\?token=\S+/.exec(mail.text)[0]).search;
}

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

/* the unsubscribe page of a subscription that `praxis subscription` makes */
function unsubscribePath(server) {
  server.praxis(['subscription', 'add', 'leaving@example.org', '--search', 'q=language',
    '--confirmed']);
  const line = server.praxis(['subscription', 'list']).split('\n')
    .find((row) => row.includes('leaving@example.org'));
  return `/unsubscribe?token=${line.split('\t')[0]}`;
}

/* the path of a new invitation link that `praxis user invite` prints */
function invitation(server) {
  const link = server.praxis(['user', 'invite', 'invited@example.org']).trim().split('\n').pop();
  const url = new URL(link, server.url);
  return url.pathname + url.search;
}

let server;
let sink;
let browser;
const signedIn = {};

before(async () => {
  sink = await h.startSink();
  server = await h.startServer({ users: ['admin', 'partner'], config: (url) =>
    `[mail]\nsmtp_url=smtp://127.0.0.1:${sink.port}\nfrom=praxis@example.org\n` +
    `[web]\nbase_url=${url}\n` });
  browser = await h.launchBrowser();
  for (const name of new Set(PAGES.map((page) => page.as).filter(Boolean))) {
    const context = await h.newContext(browser, 'desktop');
    await h.signIn(await context.newPage(), server, h.USERS[name]);
    signedIn[name] = await context.storageState();
    await context.close();
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
  sink?.stop();
});

/* @page at @viewport with the CSP on: its answer, its language, its screenshot, its reflow, the
 * focus of each stop of the Tab key and a clean console */
async function checkStrict(page, path, viewport) {
  const label = `${page.name} (${path}) at ${viewport}`;
  const context = await h.newContext(browser, viewport,
    { locale: page.lang || 'en', storageState: signedIn[page.as] });
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

/* @page at @viewport, in the same state, checked by axe */
async function checkAxe(page, path, viewport) {
  const context = await h.newContext(browser, viewport,
    { locale: page.lang || 'en', storageState: signedIn[page.as], axe: true });
  try {
    const tab = await context.newPage();
    await tab.goto(server.url + path);
    await page.then?.(tab);
    await h.checkAxe(tab, `${page.name} (${path}) at ${viewport}`);
  } finally {
    await context.close();
  }
}

/* the four checks of a page at once: most of a page's time is the forms' fill time */
for (const page of PAGES) {
  test(page.name, async () => {
    const path = typeof page.path === 'function' ? page.path(server) : page.path;
    const checks = Object.keys(h.VIEWPORTS).flatMap((viewport) =>
      [checkStrict(page, path, viewport), checkAxe(page, path, viewport)]);
    const failed = (await Promise.allSettled(checks)).filter((check) => check.status === 'rejected');
    if (failed.length > 0) {
      throw failed.length === 1 ? failed[0].reason : new AggregateError(
        failed.map((check) => check.reason), failed.map((check) => check.reason.message).join('\n'));
    }
  });
}
