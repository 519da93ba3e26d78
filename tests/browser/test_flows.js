'use strict';
/* The end-to-end flows in Chromium, each a test, in order on one server: a partner signs in,
 * submits a practice with a mistake, sees the error summary, fixes it and sees the confirmation
 * (test_pages.js runs axe on that state).
 * Every page of a flow keeps the CSP on and must leave the console clean (harness watch()). */
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const h = require('./harness');

const TITLE = 'Night school for newly arrived parents in Gävle';
const SUMMARY = 'Evening classes in Swedish and civics for parents, with childcare on site.';
const BODY = 'Twice a week the school opens its doors at six.\n\n* Swedish\n* civics\n* homework help';

let server;
let browser;

before(async () => {
  server = await h.startServer({ users: ['admin', 'partner'] });
  browser = await h.launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/* A desktop page with the CSP on, watched; close its context when done. */
async function open(options) {
  const context = await h.newContext(browser, 'desktop', options);
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  return { context, page, watcher: h.watch(page) };
}

/* Clicks @locator and returns the answer of the navigation it starts. */
async function follow(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  return response;
}

let practiceId;

test('a partner signs in, sends a practice without a title, fixes it from the error summary and ' +
     'sends it', async () => {
  const { context, page, watcher } = await open();
  await h.signIn(page, server, h.USERS.partner);
  await page.goto(server.url + '/submit');
  let opened = Date.now();
  await page.fill('textarea[name="summary"]', SUMMARY);
  await page.fill('textarea[name="body"]', BODY);
  await page.fill('input[name="country"]', 'SE');
  await page.fill('input[name="city"]', 'Gävle');
  await page.fill('input[name="year"]', '2024');
  await page.getByLabel('Education', { exact: true }).check();
  await h.waitFormAge(opened);
  const refused = await follow(page, page.locator('.form-actions button[type="submit"]'));
  opened = Date.now();
  assert.equal(refused.status(), 422, 'a practice without a title is refused');

  const summary = page.locator('.error-summary');
  assert.equal(await summary.getAttribute('role'), 'alert');
  const link = summary.locator('a[href="#title"]');
  assert.match(await link.innerText(), /title/i, 'the summary names the title');
  const title = page.locator('input[name="title"]');
  assert.equal(await title.getAttribute('aria-invalid'), 'true');
  assert.match(await title.getAttribute('aria-describedby'), /\btitle-error\b/);
  assert.equal(await page.inputValue('textarea[name="summary"]'), SUMMARY, 'what was typed is kept');
  assert.equal(await page.inputValue('textarea[name="body"]'), BODY);
  assert.equal(await page.inputValue('input[name="city"]'), 'Gävle');
  assert.ok(await page.getByLabel('Education', { exact: true }).isChecked());

  await link.click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'title',
    'the summary\'s link puts the focus in the title field');
  await page.keyboard.type(TITLE);
  await h.waitFormAge(opened);
  const sent = await follow(page, page.locator('.form-actions button[type="submit"]'));
  assert.equal(sent.status(), 200);
  const match = /\/submitted\?id=(\d+)$/.exec(page.url());
  assert.ok(match, `after sending: ${page.url()}`);
  practiceId = Number(match[1]);
  assert.equal((await page.locator('h1').innerText()).trim(), 'Thank you');
  assert.equal((await page.locator('main q').innerText()).trim(), TITLE);

  await follow(page, page.getByRole('link', { name: 'See my submissions' }));
  const row = page.locator('table.submissions tbody tr', { hasText: TITLE });
  assert.equal(await row.count(), 1, 'my submissions list it once');
  assert.equal(await row.locator('.status-pending').count(), 1, await row.innerText());
  watcher.check('the partner\'s submission');
  await context.close();
});
