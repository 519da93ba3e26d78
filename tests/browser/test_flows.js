'use strict';
/* The end-to-end flows in Chromium, each a test, in this order on one server with an SMTP sink:
 * a city searches, filters by a facet and opens a practice; a partner signs in, submits a
 * practice with a mistake, sees the error summary, fixes it and sees the confirmation
 * (test_pages.js runs axe on that state); a visitor subscribes to a search and confirms from the
 * mail; an admin publishes the practice from /admin; the search finds it; the subscriber's mail
 * brings it, and its link unsubscribes. Then a partner signs in and submits a practice by
 * keyboard alone (the honeypot field out of the Tab order), and a practice with an XSS payload in
 * every text field, shown as text wherever it appears (the DOM is checked, not only the CSP's
 * work). Every page keeps the CSP on and must leave the console clean (harness watch()). */
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
    // the mail's link asks (a mail scanner's visit confirms nothing); the button confirms
    const asked = await page.goto(link(mail.text, '/subscriptions/confirm?token='));
    assert.equal(asked.status(), 200);
    const confirmed = await follow(page, page.getByRole('button', { name: 'Confirm', exact: true }));
    assert.equal(confirmed.status(), 200);
    assert.match(await page.locator('h1').innerText(), /You are subscribed/);
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

/* Presses @key (Tab, or Shift+Tab) until the focus is on an element that matches @selector, at
 * most @limit times, and fails when it never gets there. Fails too when the focus lands on the
 * forms' honeypot field (name="website"), which must be out of the Tab order: a keyboard user who
 * filled it in would be taken for a bot. Returns the element's outer HTML. */
async function tabTo(page, selector, { key = 'Tab', limit = 200 } = {}) {
  const seen = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const stop = await page.evaluate((wanted) => {
      const element = document.activeElement;
      return element ? { matches: element.matches(wanted), name: element.getAttribute('name'),
        html: element.outerHTML.slice(0, 120) } : { matches: false, name: null, html: '' };
    }, selector);
    assert.notEqual(stop.name, 'website', `${key} reaches the honeypot field: ${stop.html}`);
    if (stop.matches) {
      return stop.html;
    }
    seen.push(stop.html);
  }
  assert.fail(`${key} never reaches ${selector} in ${limit} presses; it went to:\n` +
    seen.slice(-10).join('\n'));
}

/* Presses Enter (or Space) on the focused element and returns the answer of the navigation */
async function pressAndFollow(page, key = 'Enter') {
  const [response] = await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
  return response;
}

/* the focus area and the theme that both the keyboard's practice and the XSS test's get, so that
 * the one lists the other among its related practices */
const FOCUS = 'governance';
const THEME = 'rural';

const KEYBOARD_TITLE = 'Homework club run by volunteers in rural Värmland';
let keyboardId;

test('a partner signs in and submits a practice by keyboard alone', async () => {
  const { context, page, watcher } = await open();
  await page.goto(server.url + '/');
  await tabTo(page, 'header a[href="/login"]');
  await pressAndFollow(page);
  assert.equal(new URL(page.url()).pathname, '/login');
  await tabTo(page, '#email');
  await page.keyboard.type(h.USERS.partner.email);
  await tabTo(page, '#password');
  await page.keyboard.type(h.USERS.partner.password);
  await tabTo(page, '#email', { key: 'Shift+Tab', limit: 1 });
  assert.equal(await page.inputValue('#email'), h.USERS.partner.email, 'Shift+Tab goes back');
  await tabTo(page, 'main button[type="submit"]');
  await pressAndFollow(page);
  assert.ok((await context.cookies()).some((cookie) => cookie.name === 'praxis_session'),
    `not signed in by keyboard: ${page.url()}`);

  await tabTo(page, 'header a[href="/submit"]');
  await pressAndFollow(page);
  assert.equal(new URL(page.url()).pathname, '/submit');
  const opened = Date.now();
  const fields = [['title', KEYBOARD_TITLE],
    ['summary', 'Volunteers help pupils with their homework twice a week in village halls.'],
    ['body', 'It started in 2022.\n\nThe municipality lends the halls.'],
    ['country', 'SE'], ['city', 'Torsby'], ['year', '2022']];
  for (const [name, text] of fields) {
    await tabTo(page, `[name="${name}"]`);
    await page.keyboard.type(text);
  }
  for (const id of [`#focus_areas-${FOCUS}`, `#themes-${THEME}`]) {
    await tabTo(page, id);
    await page.keyboard.press('Space');
    assert.ok(await page.isChecked(id), `Space checks ${id}`);
  }
  await tabTo(page, `#focus_areas-${FOCUS}`, { key: 'Shift+Tab' });
  assert.ok(await page.isChecked(`#focus_areas-${FOCUS}`), 'going back leaves it checked');
  for (const [name, text] of fields) {
    assert.equal(await page.inputValue(`[name="${name}"]`), text, `typed into ${name}`);
  }
  assert.equal(await page.inputValue('[name="website"]'), '', 'the honeypot stays empty');
  await tabTo(page, '.form-actions button[type="submit"]');
  await h.waitFormAge(opened);
  const sent = await pressAndFollow(page);
  assert.equal(sent.status(), 200, await page.locator('main').innerText());
  const match = /\/submitted\?id=(\d+)$/.exec(page.url());
  assert.ok(match, `after sending by keyboard: ${page.url()}`);
  keyboardId = Number(match[1]);
  assert.equal((await page.locator('main q').innerText()).trim(), KEYBOARD_TITLE);

  await tabTo(page, 'main a[href="/my"]');
  await pressAndFollow(page);
  const row = page.locator('table.submissions tbody tr', { hasText: KEYBOARD_TITLE });
  assert.equal(await row.count(), 1, 'my submissions list it');
  assert.equal(await row.locator('.status-pending').count(), 1, await row.innerText());
  watcher.check('the submission by keyboard');
  await context.close();
});

/* The XSS payload: markup that would run were it not escaped, and quotes that end an attribute */
const XSS = '<img src=x onerror=alert(1)>"\'><script>alert(2)</script>';
/* each free-text field of the form gets the payload and its own name, to tell where it shows */
const XSS_FIELDS = ['title', 'summary', 'city', 'region', 'organisation', 'project', 'contact',
  'target_groups', 'goals', 'results', 'evaluation', 'funding'];
const xss = (name) => `${XSS} ${name}`;
/* the description is Markdown, whose safe mode leaves raw HTML out (and unsafe link schemes) */
const XSS_BODY = `${xss('body')}\n\n[a link](javascript:alert(3)) <a href="javascript:alert(4)">x</a>`;
/* a web address that parses as one, with quotes and markup in its query */
const XSS_URL = 'https://example.org/?q="><img src=x onerror=alert(5)>';

/* Fails when @page holds anything the payload could have made: an element of its markup (the
 * <img src=x>, a <script> other than the layout's JSON-LD, which must still parse), an event
 * handler attribute, a javascript: link, a dialog (the watcher's). The CSP would stop scripts
 * anyway; this checks that nothing got into the DOM to be stopped. Then the visible text of
 * the page must hold each of @texts literally. */
async function checkInert(page, watcher, label, texts = []) {
  const found = await page.evaluate(() => {
    const bad = [];
    for (const element of document.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        if (/^on/i.test(attribute.name)) {
          bad.push(`event handler ${attribute.name} on ${element.outerHTML.slice(0, 100)}`);
        }
        if (['href', 'src', 'action', 'formaction'].includes(attribute.name) &&
            /^\s*javascript:/i.test(attribute.value)) {
          bad.push(`javascript: link ${element.outerHTML.slice(0, 100)}`);
        }
      }
    }
    for (const image of document.querySelectorAll('img, svg, iframe, object, embed')) {
      bad.push(`an injected element ${image.outerHTML.slice(0, 100)}`);
    }
    for (const script of document.querySelectorAll('script')) {
      if (script.type !== 'application/ld+json') {
        bad.push(`a script ${script.outerHTML.slice(0, 100)}`);
        continue;
      }
      try {
        JSON.parse(script.textContent);
      } catch (error) {
        bad.push(`JSON-LD that does not parse: ${script.textContent.slice(0, 200)}`);
      }
    }
    return bad;
  });
  assert.deepEqual(found, [], `${label}: ${found.join('\n')}`);
  const text = await page.locator('body').innerText();
  for (const expected of texts) {
    assert.ok(text.includes(expected), `${label} does not show ${JSON.stringify(expected)} ` +
      `as text:\n${text.slice(0, 3000)}`);
  }
  watcher.check(label);
}

/* Fills the practice form of @page with the payloads; @url for the web page field */
async function fillXss(page, url) {
  for (const name of XSS_FIELDS) {
    await page.fill(`[name="${name}"]`, xss(name));
  }
  await page.fill('[name="body"]', XSS_BODY);
  await page.fill('[name="country"]', 'SE');
  await page.fill('[name="language"]', 'en');
  await page.fill('[name="year"]', '2024');
  await page.fill('[name="url"]', url);
  await page.check(`#focus_areas-${FOCUS}`);
  await page.check(`#themes-${THEME}`);
}

/* Fails unless the practice form of @page holds the payloads as they were typed */
async function checkXssForm(page, label, url) {
  for (const name of XSS_FIELDS) {
    assert.equal(await page.inputValue(`[name="${name}"]`), xss(name), `${label}: ${name}`);
  }
  assert.equal(await page.inputValue('[name="body"]'), XSS_BODY, `${label}: body`);
  assert.equal(await page.inputValue('[name="url"]'), url, `${label}: url`);
}

/* The Atom feed at @path (fetched outside the page: the CSP lets pages fetch nothing), parsed by
 * the browser's XML parser: its title and its entries' {title, summary, link}; {error} when it is
 * not well-formed */
async function readFeed(page, path) {
  const answer = await page.request.get(server.url + path);
  assert.equal(answer.status(), 200, path);
  assert.match(answer.headers()['content-type'], /^application\/atom\+xml/, path);
  return page.evaluate((text) => {
    const xml = new DOMParser().parseFromString(text, 'application/xml');
    if (xml.querySelector('parsererror')) {
      return { error: xml.querySelector('parsererror').textContent };
    }
    const atom = 'http://www.w3.org/2005/Atom';
    const child = (node, name) => [...node.children].find((element) =>
      element.namespaceURI === atom && element.localName === name);
    return {
      title: child(xml.documentElement, 'title')?.textContent,
      entries: [...xml.getElementsByTagNameNS(atom, 'entry')].map((entry) => ({
        title: child(entry, 'title')?.textContent, summary: child(entry, 'summary')?.textContent,
        link: child(entry, 'link')?.getAttribute('href'),
      })),
    };
  }, await answer.text());
}

test('an XSS payload in every text field is shown as text everywhere it appears', async () => {
  assert.ok(keyboardId, 'the keyboard\'s practice was sent');
  const partner = await open();
  await h.signIn(partner.page, server, h.USERS.partner);
  let page = partner.page;
  await page.goto(server.url + '/submit');
  let opened = Date.now();
  await fillXss(page, 'javascript:alert(1)');
  await h.waitFormAge(opened);
  const refused = await follow(page, page.locator('.form-actions button[type="submit"]'));
  opened = Date.now();
  assert.equal(refused.status(), 422, 'a javascript: web page is refused');
  assert.equal(await page.locator('.error-summary a[href="#url"]').count(), 1);
  await checkInert(page, partner.watcher, 'the refused form');
  await checkXssForm(page, 'the refused form', 'javascript:alert(1)');
  await page.fill('[name="url"]', XSS_URL);
  await h.waitFormAge(opened);
  const sent = await follow(page, page.locator('.form-actions button[type="submit"]'));
  assert.equal(sent.status(), 200, await page.locator('main').innerText());
  const id = Number(/\/submitted\?id=(\d+)$/.exec(page.url())[1]);
  await checkInert(page, partner.watcher, 'the confirmation', [xss('title')]);
  assert.equal((await page.locator('main q').innerText()).trim(), xss('title'));

  await page.goto(server.url + '/my');
  await checkInert(page, partner.watcher, '/my', [xss('title')]);
  await page.goto(server.url + `/submit/${id}`);
  await checkInert(page, partner.watcher, 'the edit form');
  await checkXssForm(page, 'the edit form', XSS_URL);
  opened = Date.now();
  await follow(page, page.getByRole('button', { name: 'Preview the description' }));
  await checkInert(page, partner.watcher, 'the description\'s preview', ['"\'>alert(2)']);
  await checkXssForm(page, 'the previewed form', XSS_URL);

  const admin = await open();
  page = admin.page;
  await h.signIn(page, server, h.USERS.admin);
  await page.goto(server.url + '/admin');
  await checkInert(page, admin.watcher, 'the queue',
    [xss('title'), xss('summary'), xss('organisation'), xss('city')]);
  await page.goto(server.url + `/admin/practices/${id}`);
  const shown = XSS_FIELDS;
  await checkInert(page, admin.watcher, 'the moderator\'s preview', shown.map(xss));
  await checkXssForm(page, 'the moderator\'s edit form', XSS_URL);
  assert.equal(await page.locator('.preview-frame a.external').getAttribute('href'), XSS_URL);
  await follow(page, page.locator('.publish-form button'));
  await page.goto(server.url + `/admin/practices/${keyboardId}`);
  await follow(page, page.locator('.publish-form button'));
  await admin.context.close();

  const visitor = await open();
  page = visitor.page;
  await page.goto(server.url + '/?q=' + encodeURIComponent('onerror alert'));
  const hit = page.locator('li.result', { hasText: xss('title') });
  assert.equal(await hit.count(), 1, 'the search finds it');
  await checkInert(page, visitor.watcher, 'the search results', [xss('title')]);
  assert.match(await hit.locator('.snippet').innerText(), /alert\(2\)<\/script>/,
    'the snippet shows the markup as text');
  assert.ok((await hit.locator('.meta').innerText()).includes(xss('organisation')));
  await page.goto(server.url + `/?city=${encodeURIComponent(xss('city'))}`);
  assert.equal(await page.locator('li.result', { hasText: xss('title') }).count(), 1,
    'the city\'s facet finds it');
  await checkInert(page, visitor.watcher, 'the city\'s search', [xss('city')]);
  await page.goto(server.url + '/?q=' + encodeURIComponent(XSS));
  await checkInert(page, visitor.watcher, 'the payload as the query');
  assert.equal(await page.inputValue('input[name="q"]'), XSS, 'the query is kept as typed');
  await page.goto(server.url + '/subscribe?q=' + encodeURIComponent(XSS));
  await checkInert(page, visitor.watcher, 'the subscription to the payload', [XSS]);

  await page.goto(server.url + `/practices/${id}`);
  await checkInert(page, visitor.watcher, 'the practice page',
    XSS_FIELDS.filter((name) => name !== 'contact').map(xss));
  assert.equal((await page.locator('h1').innerText()).trim(), xss('title'));
  assert.ok(!(await page.locator('main').innerText()).includes(xss('contact')),
    'the contact is for members');
  const jsonld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
  assert.ok(JSON.stringify(jsonld).includes(JSON.stringify(xss('title'))),
    'the JSON-LD has the title as it was typed');

  page = partner.page;
  await page.goto(server.url + `/practices/${id}`);
  await checkInert(page, partner.watcher, 'the practice page of a member', [xss('contact')]);
  await page.goto(server.url + `/practices/${keyboardId}`);
  const related = page.locator('.related-list li', { hasText: xss('title') });
  assert.equal(await related.count(), 1, 'the practice with the same tags lists it as related');
  await checkInert(page, partner.watcher, 'the related practices', [xss('title')]);

  for (const path of ['/feed.atom', '/feed.atom?q=' + encodeURIComponent(XSS)]) {
    const feed = await readFeed(page, path);
    assert.equal(feed.error, undefined, `${path} does not parse: ${feed.error}`);
    if (path === '/feed.atom') {
      const entry = feed.entries.find((item) => item.link?.endsWith(`/practices/${id}`));
      assert.ok(entry, `${path} has the practice: ${JSON.stringify(feed.entries.slice(0, 3))}`);
      assert.equal(entry.title, xss('title'));
      assert.equal(entry.summary, xss('summary'));
    } else {
      assert.ok(feed.title.includes(XSS), `the feed's title ${feed.title}`);
    }
  }
  partner.watcher.check('the feeds');
  await visitor.context.close();
  await partner.context.close();
});
