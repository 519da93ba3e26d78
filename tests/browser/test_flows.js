'use strict';
/* The end-to-end flows in Chromium, each a test, in this order on one server with an SMTP sink:
 * a city searches, filters by a facet and opens a practice; a partner signs in, submits a
 * practice with a mistake, sees the error summary, fixes it and sees the confirmation
 * (test_pages.js runs axe on that state); a visitor subscribes to a search and confirms from the
 * mail; an admin publishes the practice from /admin; the search finds it; the subscriber's mail
 * brings it, and its link unsubscribes. Then a submission by keyboard alone, and an XSS payload
 * in every text field, shown as text wherever it appears. Every page keeps the CSP on and must
 * leave the console clean (harness watch()), but for the XSS test's, see there. */
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const h = require('./harness');

const TITLE = 'Night school for newly arrived parents in Gävle';
const SUMMARY = 'Evening classes in Swedish and civics for parents, with childcare on site.';
const BODY = 'Twice a week the school opens its doors at six.\n\n* Swedish\n* civics\n* homework help';
const SUBSCRIBER = 'ana@example.org';

let server;
let sink;
let browser;

before(async () => {
  sink = await h.startSink();
  server = await h.startServer({ users: ['admin', 'partner'], config: (url) =>
    `[mail]\nsmtp_url=smtp://127.0.0.1:${sink.port}\nfrom=praxis@example.org\n` +
    `[web]\nbase_url=${url}\n[subscriptions]\ninterval_s=1\n[notify]\nretry_base_ms=100\n` });
  browser = await h.launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  sink?.stop();
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

/* The link to the server's @path... in @text */
function link(text, path) {
  const escaped = (server.url + path).replace(/[.?]/g, '\\$&');
  const match = new RegExp(escaped + '\\S*').exec(text);
  assert.ok(match, `no link to ${path} in:\n${text}`);
  return match[0];
}

/* the number of practices the search page says it found */
async function total(page) {
  return Number(/\d+/.exec(await page.locator('#results-heading').innerText())[0]);
}

test('a city searches, filters by a facet and opens a practice', async () => {
  const { context, page, watcher } = await open();
  await page.goto(server.url + '/');
  await page.fill('input[name="q"]', 'integration');
  await follow(page, page.getByRole('button', { name: 'Search', exact: true }));
  assert.match(page.url(), /[?&]q=integration(&|$)/);
  const found = await total(page);
  assert.ok(found > 1, `"integration" finds ${found} practices`);

  const facet = page.locator('.facets a[href*="country="]:not(.facet-on)').first();
  const [, label, count] = /^(.*\S)\s+\((\d+)\)$/.exec((await facet.innerText()).trim());
  await follow(page, facet);
  assert.match(page.url(), /[?&]country=[A-Z]{2}(&|$)/, `the facet "${label}" filters`);
  assert.match(page.url(), /[?&]q=integration(&|$)/, 'the query is kept');
  assert.equal(await total(page), Number(count), `the facet "${label}" said ${count}`);
  assert.ok(Number(count) < found);
  assert.equal(await page.locator('.facet-on[aria-current="true"]', { hasText: label }).count(), 1,
    'the facet is shown selected');
  const tag = page.locator('a.filter-tag', { hasText: label });
  assert.equal(await tag.count(), 1, 'the active filter is listed, removable');

  const first = page.locator('main li.result h3 a').first();
  const title = (await first.innerText()).trim();
  await follow(page, first);
  assert.match(page.url(), /\/practices\/\d+$/);
  assert.equal((await page.locator('h1').innerText()).trim(), title);
  await page.goBack();
  await follow(page, tag);
  assert.equal(await total(page), found, 'removing the filter gives every result back');
  watcher.check('the city\'s search');
  await context.close();
});

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

let unsubscribeUrl;

test('a visitor subscribes to a search from the search page and confirms from the mail',
  async () => {
    const { context, page, watcher } = await open();
    await page.goto(server.url + '/?q=night+school');
    const opened = Date.now();
    const form = page.locator('form.subscribe');
    await form.locator('input[name="email"]').fill(SUBSCRIBER);
    await form.getByLabel('As soon as one is published').check();
    await h.waitFormAge(opened);
    const done = await follow(page, form.getByRole('button', { name: 'Subscribe' }));
    assert.equal(done.status(), 200);
    assert.match(await page.locator('main').innerText(), /confirm/i);

    const mail = await sink.waitForMail((m) => m.to === SUBSCRIBER && /confirm/.test(m.subject),
      'to confirm the subscription');
    const confirmed = await page.goto(link(mail.text, '/subscriptions/confirm?token='));
    assert.equal(confirmed.status(), 200);
    assert.match(await page.locator('main').innerText(), /night school/);
    watcher.check('the subscription');
    await context.close();
  });

test('an admin signs in, opens /admin and presses Publish on the practice', async () => {
  assert.ok(practiceId, 'the partner\'s practice was sent');
  const { context, page, watcher } = await open();
  await h.signIn(page, server, h.USERS.admin);
  await page.goto(server.url + '/admin');
  const item = page.locator('li.queue-item', { hasText: TITLE });
  assert.equal(await item.count(), 1, 'the queue has the practice');
  await follow(page, item.getByRole('button', { name: 'Publish', exact: true }));
  assert.equal(await page.locator('li.queue-item', { hasText: TITLE }).count(), 0,
    'the practice left the queue');
  assert.match(await page.locator('.notice').innerText(), /publish/i);
  watcher.check('the moderation');
  await context.close();
});

test('the search finds the published practice and opens its page', async () => {
  const { context, page, watcher } = await open();
  await page.goto(server.url + '/');
  await page.fill('input[name="q"]', 'night school Gävle');
  await page.press('input[name="q"]', 'Enter');
  await page.waitForURL(/[?&]q=/);
  const hit = page.locator('li.result h3 a', { hasText: TITLE });
  assert.equal(await hit.count(), 1, 'the search finds it');
  await follow(page, hit);
  assert.equal(new URL(page.url()).pathname, `/practices/${practiceId}`);
  assert.equal((await page.locator('h1').innerText()).trim(), TITLE);
  assert.deepEqual(await page.locator('.markdown li').allInnerTexts(),
    ['Swedish', 'civics', 'homework help'], 'the description\'s list is rendered');
  watcher.check('the published practice');
  await context.close();
});

test('the subscriber\'s mail brings the practice, and its link unsubscribes', async () => {
  const mail = await sink.waitForMail((m) => m.to === SUBSCRIBER && m.text.includes(TITLE),
    'of the new practice');
  link(mail.text, `/practices/${practiceId}`);
  assert.ok(mail.headers['list-unsubscribe'].startsWith(`<${server.url}/unsubscribe?token=`),
    mail.headers['list-unsubscribe']);
  const { context, page, watcher } = await open();
  await page.goto(link(mail.text, `/practices/${practiceId}`));
  assert.equal((await page.locator('h1').innerText()).trim(), TITLE);
  unsubscribeUrl = link(mail.text, '/unsubscribe?token=');
  await page.goto(unsubscribeUrl);
  const done = await follow(page, page.getByRole('button', { name: 'Unsubscribe' }));
  assert.equal(done.status(), 200);
  assert.match(await page.locator('main').innerText(), /unsubscribed/i);
  watcher.check('the unsubscription');
  await context.close();
});
