'use strict';
/* Every page in Chromium, at 1280x900 and on a 390-pixel-wide phone: it answers, loads with the
 * CSP on and nothing in the console, its full-page screenshot is saved (NAME-desktop.png,
 * NAME-phone.png), every element the Tab key reaches shows its focus, and axe-core finds no
 * WCAG 2.1 A or AA violation. */
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const h = require('./harness');

/* path: what to open; status: the answer expected (200); lang: the language the page must be
 * in, asked for by the browser's Accept-Language (en). */
const PAGES = [
  { name: 'practice', path: '/practices/11' },
  { name: 'practice-sv', path: '/practices/21', lang: 'sv' },
  { name: 'search-filters', path: '/?q=integration&country=SE&focus=interact' },
  { name: 'search-pages', path: '/?per_page=5&page=3' },
  { name: 'search-dym', path: '/?q=Kristinstad' },
  { name: 'search-bad', path: '/?country=XYZ', status: 400 },
  { name: 'practice-missing', path: '/practices/999', status: 404 },
];

let server;
let browser;

before(async () => {
  server = await h.startServer();
  browser = await h.launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const page of PAGES) {
  test(page.name, async () => {
    for (const viewport of Object.keys(h.VIEWPORTS)) {
      const label = `${page.name} (${page.path}) at ${viewport}`;
      const options = { locale: page.lang || 'en' };
      const strict = await h.newContext(browser, viewport, options);
      const tab = await strict.newPage();
      const watcher = h.watch(tab);
      const response = await tab.goto(server.url + page.path);
      assert.equal(response.status(), page.status || 200, label);
      assert.match(response.headers()['content-type'], /^text\/html/, label);
      assert.equal(await tab.getAttribute('html', 'lang'), page.lang || 'en', label);
      await h.screenshot(tab, `${page.name}-${viewport}`);
      const stops = await h.checkFocusVisible(tab, label);
      assert.ok(stops > 0, `${label}: the keyboard reaches nothing`);
      watcher.check(label);
      await strict.close();

      const axe = await h.newContext(browser, viewport, { ...options, axe: true });
      const axeTab = await axe.newPage();
      await axeTab.goto(server.url + page.path);
      await h.checkAxe(axeTab, label);
      await axe.close();
    }
  });
}
