'use strict';
/* The browser tests' harness: the real praxis server (PRAXIS_BIN) on a free loopback port with a
 * fresh database of the demo set in a temporary folder, served with the shipped plugins as
 * scripts/run does; Debian's Chromium driven by playwright-core; axe-core's WCAG 2.1 A and AA
 * check; full-page screenshots into PX_BROWSER_ARTEFACTS (the meson build's tests/browser). It
 * owns no page knowledge: the tests say which pages and flows. */
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const DEMO = path.join(ROOT, 'scripts', 'data', 'demo-practices.jsonl');
const ARTEFACTS = process.env.PX_BROWSER_ARTEFACTS ||
  path.join(os.tmpdir(), 'praxis-browser-artefacts');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};

const USERS = {
  admin: { email: 'admin@example.org', role: 'admin', password: 'admin-pass-1234' },
  partner: { email: 'partner@example.org', role: 'partner', password: 'partner-pass-1234' },
};

/* The settings the server runs with: config/praxis.conf's plugins (its dir is relative to that
 * file, so it is made absolute here) and whatever sections a test adds, as GKeyFile text. */
function configText(extra) {
  return `[plugins]\ndir=${path.join(ROOT, 'plugins')}\nenabled=focus-tagger;glossary\n` +
    (extra || '');
}

class Server {
  constructor(dir, db, config, listen) {
    this.dir = dir;
    this.listen = listen;
    this.db = db;
    this.config = config;
    this.process = null;
    this.url = null;
    this.stderr = '';
  }

  /* Runs `praxis ARGS... --config CONFIG --db DB` with @input on its standard input; returns
   * its stdout and throws with its stderr when it fails. */
  praxis(args, input) {
    const result = spawnSync(process.env.PRAXIS_BIN,
      [...args, '--config', this.config, '--db', this.db],
      { input: input || '', encoding: 'utf8', timeout: 120000 });
    if (result.status !== 0) {
      throw new Error(`praxis ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    }
    return result.stdout;
  }

  /* Adds the account @name of USERS with its password (`praxis user passwd` reads one line). */
  addUser(name) {
    const user = USERS[name];
    this.praxis(['user', 'add', user.email, '--role', user.role]);
    this.praxis(['user', 'passwd', user.email], user.password + '\n');
    return user;
  }

  start() {
    this.process = spawn(process.env.PRAXIS_BIN,
      ['serve', '--config', this.config, '--db', this.db, '--listen', this.listen],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stderr.setEncoding('utf8');
    this.process.stderr.on('data', (chunk) => { this.stderr += chunk; });
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) =>
      resolve({ code, signal })));
    return new Promise((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error('the server did not start in 60 s: ' +
        this.stderr)), 60000);
      this.process.stdout.setEncoding('utf8');
      this.process.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /^listening on (http:\/\/\S+)\n/.exec(stdout);
        if (match && !this.url) {
          clearTimeout(timer);
          this.url = match[1].replace(/\/$/, '');
          resolve(this);
        }
      });
      this.exited.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (${code}) before listening: ${this.stderr}`));
      });
    });
  }

  /* SIGTERM; the exit status must be 0 and the log free of CRITICALs. Removes the folder. */
  async stop() {
    if (this.process) {
      const running = this.process.exitCode === null && this.process.signalCode === null;
      if (running) {
        this.process.kill('SIGTERM');
      }
      const { code } = await this.exited;
      this.process = null;
      assert.equal(code, 0, 'the server exited with ' + code + ': ' + this.stderr);
      assert.ok(!this.stderr.includes('CRITICAL'), 'the server logged a CRITICAL: ' + this.stderr);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/* A loopback port that was free a moment ago */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/* A server on a fresh database with the demo set (or @data) loaded through the plugins, and the
 * accounts of USERS named in @users. @config: more GKeyFile sections, or a function of the
 * server's URL that makes them (for [web] base_url: the server then listens on a port chosen
 * first, as the kernel's choice would come too late for the settings). */
async function startServer({ data = DEMO, users = [], config = '' } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-browser-'));
  const configPath = path.join(dir, 'praxis.conf');
  let listen = '127.0.0.1:0';
  if (typeof config === 'function') {
    listen = `127.0.0.1:${await freePort()}`;
    config = config(`http://${listen}`);
  }
  fs.writeFileSync(configPath, configText(config));
  const server = new Server(dir, path.join(dir, 'praxis.db'), configPath, listen);
  try {
    server.praxis(['import', data]);
    for (const name of users) {
      server.addUser(name);
    }
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    throw error;
  }
  return server;
}

/* Reads the maildir's messages with Python's email package: [{to, subject, headers, text}] */
const READ_MAILDIR = `
import email.header, email.policy, json, mailbox, os, sys
out = []
if os.path.isdir(os.path.join(sys.argv[1], "new")):
    for message in mailbox.Maildir(sys.argv[1], factory=None):
        message = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
        body = message.get_body(("plain",))
        out.append({"to": str(message["To"]), "subject": str(message["Subject"]),
                    "headers": {k.lower(): " ".join(str(v).split()) for k, v in message.items()},
                    "text": body.get_content() if body else ""})
print(json.dumps(out))
`;

/* An SMTP sink on 127.0.0.1 (tests/notify/smtp_sink.py: aiosmtpd's Mailbox, Debian's python3)
 * writing into a maildir of its own; mails() reads it, waitForMail() polls it. */
async function startSink() {
  const maildir = fs.mkdtempSync(path.join(os.tmpdir(), 'praxis-browser-mail-'));
  const sink = spawn('/usr/bin/python3', [path.join(ROOT, 'tests', 'notify', 'smtp_sink.py'),
    path.join(maildir, 'mail')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    sink.stdout.setEncoding('utf8');
    sink.stdout.on('data', (chunk) => {
      out += chunk;
      if (/^\d+\n/.test(out)) {
        resolve(Number(out.trim()));
      }
    });
    sink.on('exit', (code) => reject(new Error(`the SMTP sink exited (${code})`)));
  });
  const mails = () => JSON.parse(spawnSync('/usr/bin/python3',
    ['-c', READ_MAILDIR, path.join(maildir, 'mail')], { encoding: 'utf8' }).stdout);
  return {
    port,
    mails,
    /* the first mail that @match(mail) accepts, within @seconds */
    async waitForMail(match, what, seconds = 30) {
      for (const end = Date.now() + seconds * 1000; Date.now() < end;) {
        const found = mails().find(match);
        if (found) {
          return found;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`no mail ${what} in ${seconds} s; the sink has: ` +
        JSON.stringify(mails().map((mail) => [mail.to, mail.subject])));
    },
    stop() {
      sink.kill();
      fs.rmSync(maildir, { recursive: true, force: true });
    },
  };
}

function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox'] });
}

/* A browser context of @viewport (a VIEWPORTS key) asking for @locale's language (Accept-Language)
 * with the cookies of @storageState. @axe: a context for axe only, see below. */
function newContext(browser, viewport, { axe = false, storageState, locale = 'en-GB' } = {}) {
  return browser.newContext({ ...VIEWPORTS[viewport], locale, storageState,
    // The pages send Content-Security-Policy script-src 'self', which blocks the inline script
    // that page.addScriptTag makes of axe-core; contexts that run axe bypass the CSP for that
    // alone. Every other context (screenshots, flows, the console check) keeps the CSP on.
    bypassCSP: axe });
}

/* Records what must never happen on a page: a console error (a CSP violation is one), an
 * uncaught exception, a dialog (an XSS payload that ran), a request of the page's that failed or
 * got an error status. check() fails the test with the list. */
function watch(page) {
  const problems = [];
  page.on('console', (message) => {
    // "Failed to load resource" repeats what the response handler below records of a page's
    // requests, and tells of the document's own status, which the tests check; Chromium asks
    // for /favicon.ico by itself, which is not the page's request
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`a ${dialog.type()} dialog opened: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()}: ${request.failure().errorText}`));
  page.on('response', (response) => {
    const request = response.request();
    if (response.status() >= 400 && request.resourceType() !== 'document') {
      problems.push(`${response.status()} for ${request.resourceType()} ${response.url()}`);
    }
  });
  return {
    problems,
    check(label) {
      assert.deepEqual(problems, [], `${label}: ${problems.join('\n')}`);
    },
  };
}

/* Runs axe-core's WCAG 2.1 A and AA rules on @page (in an axe context) and fails with every
 * violation: the rule, its impact and help, and each element's selector and markup. */
async function checkAxe(page, label) {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  const result = await page.evaluate((tags) =>
    window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  const lines = [];
  for (const violation of result.violations) {
    lines.push(`${violation.id} (${violation.impact}): ${violation.help} ${violation.helpUrl}`);
    for (const node of violation.nodes) {
      lines.push(`  ${node.target.join(' ')}: ${node.html.slice(0, 200)}`);
      lines.push(`    ${node.failureSummary.replace(/\n/g, '\n    ')}`);
    }
  }
  assert.equal(result.violations.length, 0, `axe on ${label}:\n${lines.join('\n')}`);
  assert.ok(result.passes.length > 0, `axe on ${label} checked nothing`);
}

/* Tabs through @page from the top (at most @limit stops) and fails for each element reached that
 * shows no focus indicator (WCAG 2.4.7: an outline or a box-shadow while focused, which axe does
 * not check). Returns how many stops it made. */
async function checkFocusVisible(page, label, limit = 60) {
  await page.evaluate(() => document.activeElement?.blur());
  const missing = [];
  let stops = 0;
  for (; stops < limit; stops++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const element = document.activeElement;
      window.pxFocusSeen = window.pxFocusSeen || new WeakSet();
      if (!element || element === document.body || window.pxFocusSeen.has(element)) {
        return null;
      }
      window.pxFocusSeen.add(element);
      const style = getComputedStyle(element);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      const shadow = style.boxShadow !== 'none';
      return { html: element.outerHTML.slice(0, 120), visible: outline || shadow };
    });
    if (stop === null) {
      break;
    }
    if (!stop.visible) {
      missing.push(stop.html);
    }
  }
  assert.deepEqual(missing, [], `${label}: no visible focus on ${missing.join('\n')}`);
  return stops;
}

/* Fails when something of @page reaches past the right edge of the window (WCAG 1.4.10 Reflow: at
 * 320 CSS pixels nothing may need scrolling sideways; the phone is 390): the page scrolls
 * sideways, or an element sticks out of it (cut off when an overflow: hidden clips it). An
 * element in a box that scrolls sideways of its own (a wide table's) is allowed, as WCAG allows
 * two-dimensional layout where the content needs it. Names the innermost elements. */
async function checkReflow(page, label) {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (element) => {
      for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
          return true;
        }
      }
      return false;
    };
    const out = [...document.body.querySelectorAll('*')].filter((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 1 && box.height > 1 && box.right > width + 1 && !scrolls(element);
    });
    const innermost = out.filter((element) => !out.some((other) =>
      other !== element && element.contains(other)));
    const lines = innermost.map((element) => `${element.outerHTML.slice(0, 100)}: right edge at ` +
      Math.round(element.getBoundingClientRect().right));
    if (document.documentElement.scrollWidth > width) {
      lines.unshift(`the page is ${document.documentElement.scrollWidth} pixels wide`);
      if (innermost.length === 0) {
        // what is too small to see makes the page scroll too (a visually-hidden text whose
        // position: absolute escapes its scrolling box)
        lines.push(...[...document.body.querySelectorAll('*')]
          .filter((element) => element.getBoundingClientRect().right > width + 1)
          .slice(-3).map((element) => element.outerHTML.slice(0, 100)));
      }
    }
    return lines;
  });
  assert.ok(wide.length === 0, `${label}: wider than the window (${await page.evaluate(() =>
    document.documentElement.clientWidth)}):\n${wide.slice(0, 6).join('\n')}`);
}

/* Saves a full-page screenshot as ARTEFACTS/screenshots/NAME.png and returns its path. */
async function screenshot(page, name) {
  const file = path.join(ARTEFACTS, 'screenshots', `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/* Waits until a form opened at @opened (a Date.now()) is older than the server's minimum fill time
 * (3 s, counted in whole seconds of its CSRF token), so that sending it is not taken for a bot. */
async function waitFormAge(opened) {
  const wait = opened + 3200 - Date.now();
  if (wait > 0) {
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/* Signs @user (a USERS entry) in through the sign-in form of @page's context. */
async function signIn(page, server, user) {
  await page.goto(server.url + '/login');
  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', user.password);
  await Promise.all([page.waitForNavigation(), page.press('input[name="password"]', 'Enter')]);
  const cookies = await page.context().cookies();
  assert.ok(cookies.some((cookie) => cookie.name === 'praxis_session'),
    `${user.email} is not signed in at ${page.url()}`);
}

module.exports = { ROOT, ARTEFACTS, USERS, VIEWPORTS, startServer, startSink, launchBrowser, newContext,
  watch, checkAxe, checkFocusVisible, checkReflow, screenshot, signIn, waitFormAge };
