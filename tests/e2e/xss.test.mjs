// XSS: text people bring (statements, respondents, groups, extra columns, the file's own name) and text they type
// (cluster names and descriptions, way names and descriptions, axis ends, tour captions, stop words, live
// statements) carries markup and script payloads, and everywhere the app shows it, it stays text: in the cluster
// list, the cluster card, the tooltip, the point card, the table of search results, the filters, the way list,
// the axis, the tour, presenter mode, the explorer of a project opened from `?project=…&mode=explore`, and the
// published folder. The SVG export must parse as XML with the payloads only as text, and the CSV export must give
// back every cell verbatim.
//
// The app is served here WITHOUT its Content-Security-Policy (the meta tag is cut out of index.html and no header
// is sent), so an injected handler or script would really run and set `window.__xss`: escaping alone must hold,
// the policy is a second wall, not the first. Independently of whether anything ran, an observer installed before
// any page script records every element or attribute a payload could have smuggled into the DOM, so a payload
// that was parsed as markup fails the test even if it could not execute.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import {
  DIST, launch, statusMark, waitForSettled, hoverUntilTooltip, waitForStableCanvas, clusterList,
  parseDelimited, toCsv, tempDir, unzip, upload, STATUS_TRACKER,
} from './support.mjs';

// Each payload sets window.__xss to its own name if it ever runs.
const P = {
  img: `<img src=x onerror="window.__xss='img'">`,
  script: `<script>window.__xss='script'</script>`,
  svg: `"><svg onload="window.__xss='svg'">`,
  js: `javascript:window.__xss='js'`,
  cdata: `]]><![CDATA[<b>cdata</b>]]>`,
  entity: `&amp; &lt;i&gt;x&lt;/i&gt; &#60;u&#62;`,
  formula: `=HYPERLINK("https://example.org/?leak","click")`,
  iframe: `<iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
};
const PAYLOADS = Object.values(P);

// Three topics with words of their own, so TF-IDF finds clusters; every statement ends in a payload.
const TOPICS = [
  ['teachers', 'classes', 'school', 'pupils', 'homework', 'lessons'],
  ['climate', 'energy', 'wind', 'solar', 'emissions', 'green'],
  ['elderly', 'nurses', 'care', 'homes', 'pensioners', 'carers'],
];

function surveyRows() {
  const rows = [];
  for (let i = 0; i < 48; i += 1) {
    const words = TOPICS[i % 3];
    const picked = [0, 1, 2, 3].map((k) => words[(i + k) % words.length]);
    rows.push({
      id: String(i + 1),
      text: `We need more ${picked.join(' and ')} for ${words[(i + 4) % words.length]} ${PAYLOADS[i % PAYLOADS.length]}`,
      respondent: `${P.img}${i % 12}`,
      group: [P.svg, P.formula, 'plain & <u>simple</u>'][i % 3],
      note: `${P.iframe} ${P.js}`,
    });
  }
  return rows;
}

/** Writes the survey under a file name that is itself a payload (it becomes the project's and folder's name). */
function surveyFile(rows) {
  const columns = ['id', 'text', 'respondent', 'group', 'note'];
  const path = join(tempDir(), `<img src=x onerror=alert(1)> survey.csv`);
  writeFileSync(path, toCsv([columns, ...rows.map((row) => columns.map((c) => row[c]))]));
  return path;
}

// ---------------------------------------------------------------------------------------------------------------
// A static server for dist/ without the Content-Security-Policy, plus extra files held in memory.

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.csv': 'text/csv; charset=utf-8', '.json': 'application/json',
};

async function serveWithoutPolicy(extra) {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const relative = path === '/' ? 'index.html' : path.slice(1);
    let body = extra.get(relative);
    if (!body) {
      const file = normalize(join(DIST, relative));
      if (!file.startsWith(DIST) || !(await stat(file).catch(() => null))?.isFile()) {
        response.writeHead(404).end();
        return;
      }
      body = await readFile(file);
      if (relative === 'index.html') {
        const html = body.toString('utf8');
        const stripped = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/s, '');
        assert.notEqual(stripped, html, 'the policy meta tag was found and cut out');
        body = Buffer.from(stripped);
      }
    }
    response.writeHead(200, { 'content-type': TYPES[extname(relative)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    response.end(body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

// Installed before any page script: records what a payload parsed as markup would leave in the DOM. (Payload
// text inside an attribute value, such as a filter's data-value or a button's aria-label, is text and fine.)
const INJECTION_WATCH = `(() => {
  const found = (window.__injected = []);
  const suspicious = (element) => {
    const tag = element.localName;
    if (['iframe', 'object', 'embed', 'frame'].includes(tag)) return tag;
    if (tag === 'script' && !element.src) return 'inline script';
    if (tag === 'img' && element.getAttribute('src') === 'x') return 'img src=x';
    for (const attribute of element.attributes ?? []) {
      if (attribute.name.startsWith('on')) return tag + ' ' + attribute.name;
      if (/^\\s*javascript:/i.test(attribute.value) && ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attribute.name)) return tag + ' javascript: URL';
    }
    return null;
  };
  const check = (node) => {
    if (node.nodeType !== 1) return;
    const why = suspicious(node);
    if (why) found.push(why);
    for (const child of node.querySelectorAll('*')) {
      const inner = suspicious(child);
      if (inner) found.push(inner);
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') check(record.target);
      else record.addedNodes.forEach(check);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
  window.addEventListener('load', () => check(document.documentElement));
})();`;

async function openPage(browser, url) {
  const context = await browser.newContext({ locale: 'en-GB', acceptDownloads: true, viewport: { width: 1400, height: 900 } });
  await context.addInitScript(() => localStorage.setItem('vejkort.vectoriser', 'tfidf'));
  await context.addInitScript(STATUS_TRACKER);
  await context.addInitScript(INJECTION_WATCH);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  await page.goto(url);
  return { context, page, problems };
}

/** Nothing ran, nothing was injected, nothing broke. */
async function assertClean(page, problems, where) {
  assert.equal(await page.evaluate(() => window.__xss), undefined, `${where}: a payload ran`);
  assert.deepEqual(await page.evaluate(() => window.__injected), [], `${where}: payload markup reached the DOM`);
  const left = await page.evaluate(() => ({
    images: document.querySelectorAll('img[src=x]').length,
    frames: document.querySelectorAll('iframe, object, embed').length,
    inlineScripts: document.querySelectorAll('script:not([src])').length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
  }));
  assert.deepEqual(left, { images: 0, frames: 0, inlineScripts: 0, handlers: 0 }, where);
  assert.deepEqual(problems, [], `${where}: console errors`);
}

const textOf = (page, selector) => page.locator(selector).first().textContent();

async function download(page, testid, timeout = 20_000) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout }), page.locator(`[data-testid=${testid}]`).click()]);
  return { name: file.suggestedFilename(), path: await file.path() };
}

/** Parses an SVG document in the page with the browser's XML parser and lists what it holds. */
function inspectSvg(page, source) {
  return page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'image/svg+xml');
    const error = doc.querySelector('parsererror');
    const elements = [...doc.getElementsByTagName('*')];
    return {
      error: error ? error.textContent : null,
      names: [...new Set(elements.map((e) => `${e.namespaceURI === 'http://www.w3.org/2000/svg' ? '' : `${e.namespaceURI}:`}${e.localName}`))],
      handlers: elements.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.localName} ${a.name}`)),
      links: elements.flatMap((e) => [...e.attributes].filter((a) => /href$/.test(a.name)).map((a) => a.value)),
      texts: [...doc.querySelectorAll('text, title')].map((t) => t.textContent),
    };
  }, source);
}

// ---------------------------------------------------------------------------------------------------------------

describe('markup in data and names stays text', () => {
  const extra = new Map();
  let server;
  let browser;
  let projectName = null;
  let publishedZip = null;
  before(async () => {
    server = await serveWithoutPolicy(extra);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('would notice: a payload parsed as markup on this server runs and is recorded (so the checks below can fail)', { timeout: 60_000 }, async () => {
    const { context, page, problems } = await openPage(browser, server.url);
    try {
      await page.locator('[data-testid=app][data-status=empty]').waitFor();
      await assertClean(page, problems, 'the empty app');
      await page.evaluate((html) => {
        const box = document.createElement('div');
        box.innerHTML = html; // what a careless renderer would do with a statement
        document.body.append(box);
      }, P.img);
      await page.waitForFunction(() => window.__xss === 'img', null, { timeout: 10_000 });
      await page.waitForFunction(() => window.__injected.length > 0, null, { timeout: 10_000 });
      assert.ok((await page.evaluate(() => window.__injected)).some((why) => /img (src=x|onerror)/.test(why)));
    } finally {
      await context.close();
    }
  });

  it('in every panel, the map, the tour, the SVG and CSV exports of an edited map', { timeout: 300_000 }, async () => {
    const rows = surveyRows();
    const { context, page, problems } = await openPage(browser, server.url);
    try {
      await page.locator('[data-testid=app][data-status=empty]').waitFor();
      const loaded = await upload(page, [surveyFile(rows)]);
      assert.equal(loaded.status, 'ready', loaded.error);
      assert.equal(loaded.points, rows.length);
      assert.ok(loaded.clusters >= 2, `clusters: ${loaded.clusters}`);
      await assertClean(page, problems, 'after loading');

      // A stop word with markup: refused or taken, what shows is text.
      const stopWord = page.locator('[data-testid=stop-word-input]');
      await stopWord.fill(P.img);
      const mark = await statusMark(page);
      await stopWord.press('Enter');
      // Either refused with a message or taken as a stop word (a job relabels the map).
      await page.waitForFunction(
        () => document.querySelector('[data-testid=stop-word-problem]')?.textContent.trim() || document.querySelector('[data-testid=stop-word-list] li[data-kind=added]'),
        null,
        { timeout: 20_000 },
      );
      const chip = page.locator('[data-testid=stop-word-list] li[data-kind=added]');
      if ((await chip.count()) > 0) {
        await waitForSettled(page, mark);
        assert.ok((await chip.first().textContent()).includes('onerror'), 'the stop word as text');
      } else {
        assert.ok((await textOf(page, '[data-testid=stop-word-problem]')).length > 0);
      }

      // Cluster name, card, description.
      const [first, second] = (await clusterList(page)).filter((c) => c.id >= 0).sort((a, b) => b.size - a.size);
      const entry = (id) => `[data-testid=cluster-list] li[data-cluster-id="${id}"]`;
      await page.locator(`${entry(first.id)} [data-testid=rename-cluster]`).click();
      const nameInput = page.locator(`${entry(first.id)} [data-testid=cluster-name-input]`);
      await nameInput.fill(P.img);
      await nameInput.press('Enter');
      await page.locator(`${entry(first.id)}[data-provenance=person]`).waitFor();
      assert.equal(await textOf(page, `${entry(first.id)} .cluster-label`), P.img, 'cluster list');

      await page.locator(`${entry(first.id)} .cluster-entry`).click();
      const card = page.locator(`[data-testid=cluster-card][data-cluster-id="${first.id}"]`);
      await card.waitFor();
      assert.equal(await card.locator('.card-label').textContent(), P.img, 'card heading');
      const description = card.locator('[data-testid=cluster-description]');
      await description.fill(P.script);
      await description.dispatchEvent('change');
      const quotes = await card.locator('[data-testid=representative]').allTextContents();
      const texts = new Set(rows.map((r) => r.text));
      assert.ok(quotes.length > 0 && quotes.every((q) => texts.has(q)), `card quotes verbatim: ${quotes}`);

      // A way named and described with payloads, holding the two largest clusters.
      await page.locator('[data-testid=way-name-input]').fill(P.svg);
      await page.locator('[data-testid=create-way]').click();
      const way = page.locator('[data-testid=way-list] li[data-way-id]').filter({ has: page.locator('[data-testid=way-name]', { hasText: 'svg onload' }) });
      await way.waitFor();
      const wayId = await way.getAttribute('data-way-id');
      assert.equal(await way.locator('[data-testid=way-name]').textContent(), P.svg, 'way list');
      for (const cluster of [first, second]) {
        await page.locator(`${entry(cluster.id)} input.way-tick[data-way-id="${wayId}"]`).check();
      }
      await page.locator(`[data-testid=way-list] li[data-way-id="${wayId}"][data-clusters="${[first.id, second.id].sort((a, b) => a - b).join(',')}"]`).waitFor();
      await way.locator('[data-testid=edit-way]').click();
      await way.locator('[data-testid=way-description-input]').fill(P.js);
      await way.locator('[data-testid=save-way]').click();
      await way.locator('.way-description').filter({ hasText: 'javascript:' }).waitFor();
      assert.equal(await way.locator('.way-description').textContent(), P.js, 'way description');
      assert.ok((await textOf(page, `[data-testid=axis] [data-way-id="${wayId}"]`)).includes(P.svg), 'axis chip');

      await page.locator('[data-testid=axis-start-input]').evaluate((input) => (input.closest('details').open = true));
      await page.locator('[data-testid=axis-start-input]').fill(P.cdata);
      await page.locator('[data-testid=axis-end-input]').fill(P.entity);
      await page.locator('[data-testid=name-axis]').click();
      await page.locator('[data-testid=axis-start]').filter({ hasText: 'CDATA' }).waitFor();
      assert.equal(await textOf(page, '[data-testid=axis-start]'), P.cdata, 'axis start');
      assert.equal(await textOf(page, '[data-testid=axis-end]'), P.entity, 'axis end');

      // A tour stop with a payload caption.
      await page.locator('[data-testid=tour-add]').click();
      const caption = page.locator('[data-testid=tour-caption-input]').last();
      await caption.fill(P.iframe);
      await caption.press('Enter');
      await caption.evaluate((element) => element.blur());

      // Filters list the group values.
      const filters = page.locator('[data-testid=filters]');
      const filterColumn = filters.locator('[data-testid=filter-column]');
      if ((await filterColumn.count()) > 0) {
        const options = await filterColumn.locator('option').allTextContents();
        if (options.includes('group')) await filterColumn.selectOption({ label: 'group' });
      }
      const values = await filters.locator('.filter-value span:not(.filter-count)').allTextContents();
      assert.ok(values.includes(P.svg) && values.includes(P.formula), `filter values as text: ${JSON.stringify(values)}`);

      // Search: the table lists the matches, cells verbatim.
      await page.locator('[data-testid=search]').fill('onerror');
      const expectedMatches = rows.length; // every respondent cell holds the img payload
      await page.locator(`[data-testid=search-count][data-count="${expectedMatches}"]`).waitFor({ timeout: 10_000 });
      await page.locator('[data-testid=show-table]').click();
      await page.locator('[data-testid=table] tbody tr').first().waitFor();
      const cells = await page.locator('[data-testid=table] tbody td').allTextContents();
      for (const payload of [P.img, P.svg, P.formula, P.iframe, P.script]) {
        assert.ok(cells.some((cell) => cell.includes(payload)), `the table shows ${payload} as text`);
      }
      await page.locator('[data-testid=search]').fill('');
      await page.locator('[data-testid=show-table]').click();

      // The tooltip and the pinned point card.
      await waitForStableCanvas(page);
      const spot = await hoverUntilTooltip(page);
      assert.ok(spot, 'a point can be hovered');
      const tip = (await textOf(page, '[data-testid=tooltip] .tooltip-text')).replace(/^“|”$/g, '');
      assert.ok(texts.has(tip), `the tooltip quotes a statement verbatim: ${tip}`);
      await page.mouse.click(spot.x, spot.y);
      const pinned = await textOf(page, '[data-testid=point-card-text]');
      assert.ok(texts.has(pinned), `the point card quotes verbatim: ${pinned}`);

      // A live statement with markup.
      const live = `We need more teachers and classes ${P.script}`;
      await page.locator('[data-testid=live-input]').fill(live);
      await page.locator('[data-testid=live-place]').click();
      await page.locator('[data-testid=live-new]').first().waitFor({ timeout: 60_000 });
      assert.ok((await textOf(page, '[data-testid=live-new] .live-text')).includes(live), 'live list');

      await assertClean(page, problems, 'after editing');

      // Presenter mode shows the caption as text.
      await page.locator('[data-testid=present]').click();
      await page.locator('[data-testid=presenter-bar][data-presenting=true]').waitFor();
      await page.waitForFunction((text) => document.querySelector('[data-testid=tour-caption]')?.textContent === text, P.iframe);
      await page.keyboard.press('Escape');
      await page.locator('[data-testid=presenter-bar][data-presenting=false]').waitFor();

      // SVG export: well-formed, only drawing elements, the payloads only as text.
      const svg = await download(page, 'export-svg');
      const source = readFileSync(svg.path, 'utf8');
      const parsed = await inspectSvg(page, source);
      assert.equal(parsed.error, null, 'the SVG parses as XML');
      const drawing = new Set(['svg', 'g', 'rect', 'circle', 'path', 'text', 'tspan', 'title', 'desc', 'line', 'polyline', 'polygon', 'defs', 'style']);
      assert.deepEqual(parsed.names.filter((name) => !drawing.has(name)), [], 'only SVG drawing elements');
      assert.deepEqual(parsed.handlers, [], 'no event handler attributes');
      assert.deepEqual(parsed.links, [], 'no links');
      assert.ok(parsed.texts.includes(P.svg), `the way's name in the key, as text: ${parsed.texts.slice(0, 20).join(' | ')}`);
      assert.ok(!/<(script|iframe|img|foreignObject)\b/i.test(source), 'no raw markup from a payload');

      // CSV export: every statement and metadata cell verbatim (so formulas are kept as the data had them).
      const csv = await download(page, 'export-csv');
      const [header, ...records] = parseDelimited(readFileSync(csv.path, 'utf8'));
      const column = (name) => header.indexOf(name);
      const byId = new Map(rows.map((row) => [row.id, row]));
      let checked = 0;
      for (const record of records) {
        const row = byId.get(record[column('input_id')]);
        if (!row) continue; // the live statement
        for (const name of ['text', 'respondent', 'group', 'note']) assert.equal(record[column(name)], row[name], name);
        if (record[column('cluster')] === String(first.id)) {
          assert.equal(record[column('label')], P.img);
          assert.equal(record[column('ways')], P.svg);
        }
        checked += 1;
      }
      assert.equal(checked, rows.length, 'every input row exported');

      const project = await download(page, 'export-project');
      projectName = `xss-${process.pid}.vejkort.json`;
      extra.set(projectName, readFileSync(project.path));
      publishedZip = readFileSync((await download(page, 'publish', 120_000)).path);
      await assertClean(page, problems, 'after exporting');
    } finally {
      await context.close();
    }
  });

  it('in the explorer of the saved project opened from ?project=…&mode=explore', { timeout: 120_000 }, async () => {
    assert.ok(projectName, 'needs the project of the first test');
    const { context, page, problems } = await openPage(browser, `${server.url}?project=${encodeURIComponent(projectName)}&mode=explore`);
    try {
      await page.locator('[data-testid=app][data-status=ready]').waitFor({ timeout: 60_000 });
      await page.locator('[data-testid=explorer-summary]').waitFor();
      const ways = await page.locator('[data-testid=explorer-ways] li').allTextContents();
      assert.ok(ways.some((text) => text.includes(P.svg) && text.includes(P.js)), `the way and its description as text: ${ways}`);
      const labels = await page.locator('[data-testid=cluster-list] li[data-cluster-id] .cluster-label').allTextContents();
      assert.ok(labels.includes(P.img), `the cluster name as text: ${labels}`);
      await assertClean(page, problems, 'explorer');
    } finally {
      await context.close();
    }
    // A link whose project name is markup: the message that names it shows it as text.
    const link = `${P.img}.json`;
    const broken = await openPage(browser, `${server.url}?project=${encodeURIComponent(link)}`);
    try {
      await broken.page.locator('[data-testid=app][data-status=error]').waitFor({ timeout: 30_000 });
      assert.ok((await textOf(broken.page, '[data-testid=error]')).includes(link), 'the link named as text');
      broken.problems.splice(0); // the failed fetch of the missing file is logged by the browser, rightly
      await assertClean(broken.page, broken.problems, 'a bad link');
    } finally {
      await broken.context.close();
    }
  });

  it('in the published folder: its index page and the map it opens', { timeout: 120_000 }, async () => {
    assert.ok(publishedZip, 'needs the folder of the first test');
    const entries = unzip(publishedZip);
    const [folder] = [...entries.keys()][0].split('/');
    assert.match(folder, /^vejkort-[\p{L}\p{N}-]+$/u, 'the folder name keeps letters, digits and dashes only');
    const { context, page, problems } = await openPage(browser, 'about:blank');
    try {
      const index = entries.get(`${folder}/index.html`).toString('utf8');
      const parsed = await page.evaluate((html) => {
        const doc = new DOMParser().parseFromString(html, 'text/html');
        return {
          title: doc.title,
          heading: doc.querySelector('h1')?.textContent,
          elements: [...new Set([...doc.querySelectorAll('*')].map((e) => e.localName))].sort(),
          links: [...doc.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        };
      }, index);
      assert.ok(parsed.title.startsWith('<img src=x onerror=alert(1)> survey'), `the title as text: ${parsed.title}`);
      assert.ok(parsed.heading.startsWith('<img src=x onerror=alert(1)> survey'), parsed.heading);
      assert.deepEqual(parsed.elements, ['a', 'body', 'br', 'h1', 'head', 'html', 'meta', 'p', 'title']);
      assert.deepEqual(parsed.links, ['app/index.html?project=../project.vejkort.json&mode=explore']);
    } finally {
      await context.close();
    }
    // Serve the folder's app and project from this suite's server, as a host would, and open the map it names.
    const prefix = `pub-${process.pid}/`;
    for (const [name, bytes] of entries) if (bytes) extra.set(prefix + name.slice(folder.length + 1), bytes);
    const visit = await openPage(browser, `${server.url}${prefix}app/index.html?project=../project.vejkort.json&mode=explore`);
    try {
      await visit.page.locator('[data-testid=app][data-status=ready]').waitFor({ timeout: 60_000 });
      const ways = await visit.page.locator('[data-testid=explorer-ways] li').allTextContents();
      assert.ok(ways.some((text) => text.includes(P.svg)), `the way as text: ${ways}`);
      await assertClean(visit.page, visit.problems, 'published map');
    } finally {
      await visit.context.close();
    }
  });
});
