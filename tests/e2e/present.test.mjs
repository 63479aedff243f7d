// Presenter mode, tours and links: a tour of three views built in the app and stepped through by the keys a
// presentation clicker sends; a project saved with its tour and published next to the app opens from
// `?project=` (read-only with `mode=explore`); a link to a view reopens the same view and focus in a fresh
// browser; a bad `?project=` gives a message naming the link, never a blank page, and never leaves the origin.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { useApp, openApp, loadExample, errorText, launch, DIST } from './support.mjs';

// Project files this suite publishes into dist/ (served same-origin), removed at the end.
const published = [];
after(() => published.forEach((file) => rmSync(join(DIST, file), { force: true })));

async function download(page, testid) {
  const [file] = await Promise.all([
    page.waitForEvent('download', { timeout: 20_000 }),
    page.locator(`[data-testid=${testid}]`).click(),
  ]);
  return file.path();
}

/** Saves the project on screen and publishes it in dist/ under a fresh name; resolves to that name. */
async function publishProject(page) {
  const path = await download(page, 'export-project');
  const name = `e2e-present-${process.pid}-${published.length}.json`;
  copyFileSync(path, join(DIST, name));
  published.push(name);
  return name;
}

/** Opens a page at `url` in a fresh context (so nothing is shared with earlier pages) and records requests. */
async function openAt(browser, url, { locale = 'en-GB' } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(url);
  return { context, page, requests, problems };
}

/**
 * Waits until the view on screen (the presenter bar's data-view: the hash a link to it carries) contains every
 * part of `has` and none of `lacks`, or equals `is`; resolves to it, decoded.
 */
async function waitForView(page, { has = [], lacks = [], is = null }) {
  const handle = await page.waitForFunction(
    ([has, lacks, is]) => {
      const raw = document.querySelector('[data-testid=presenter-bar]')?.getAttribute('data-view');
      if (raw == null) return false;
      const view = decodeURIComponent(raw);
      if (is !== null) return view === is ? view : false;
      return has.every((part) => view.includes(part)) && !lacks.some((part) => view.includes(part)) ? view : false;
    },
    [has, lacks, is],
    { timeout: 20_000, polling: 50 },
  );
  return handle.jsonValue();
}

/** Waits until the address bar's hash shows `view` (it follows the view after a short delay). */
async function waitForAddressBar(page, view) {
  await page.waitForFunction((view) => decodeURIComponent(location.hash) === (view ? `#${view}` : ''), view, {
    timeout: 20_000,
    polling: 50,
  });
}

const wayFocused = (page) =>
  page.locator('[data-testid=way-list] li.focused').evaluateAll((items) => items.map((i) => i.dataset.wayId));
const clusterHighlighted = (page) =>
  page.locator('[data-testid=cluster-list] li.highlighted').evaluateAll((items) => items.map((i) => i.dataset.clusterId));

/** Builds three distinct views into the tour; resolves to each stop's hash and caption. */
async function buildTour(page) {
  const stops = [];
  const add = async (caption, expected) => {
    const at = await waitForView(page, expected);
    await page.locator('[data-testid=tour-add]').click();
    const input = page.locator('[data-testid=tour-caption-input]').last();
    await input.fill(caption);
    await input.press('Enter');
    await input.evaluate((element) => element.blur());
    stops.push({ caption, hash: at });
  };
  // 1: zoomed in on the map with the first way in focus.
  await page.locator('[data-testid=zoom-in]').click();
  await page.locator('[data-testid=zoom-in]').click();
  await page.locator('[data-testid=focus-way]').first().click();
  await add('Where the first way lies', { has: ['way=', 'v='] });
  // 2: the whole map again, nothing focused, one cluster highlighted.
  await page.locator('[data-testid=focus-way]').first().click();
  await page.locator('[data-testid=zoom-reset]').click();
  await page.locator('[data-testid=cluster-list] li[data-cluster-id] .cluster-entry').nth(1).click();
  await add('One cluster', { has: ['cluster='], lacks: ['way='] });
  // 3: a search and a filter, zoomed out a little and panned.
  await page.locator('[data-testid=cluster-list] li.highlighted .cluster-entry').click();
  await page.locator('[data-testid=search]').fill('ældre');
  await page.locator('[data-testid=filters] input[type=checkbox]').first().uncheck();
  await page.locator('[data-testid=map]').focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('-');
  await add('Elderly care, filtered', { has: ['q=ældre', 'f='], lacks: ['cluster='] });
  return stops;
}

describe('presenter mode, tours and shared links', () => {
  const app = useApp();
  let tourProject = null;
  let tourStops = null;

  it('steps through a tour of three views with the keys a clicker sends, and saves it in the project', async () => {
    const { context, page, problems } = await openApp(app.browser, app.server.url);
    const job = await loadExample(page);
    assert.equal(job.status, 'ready', job.error ?? '');
    const stops = await buildTour(page);
    assert.equal(new Set(stops.map((s) => s.hash)).size, 3, `three distinct views: ${JSON.stringify(stops)}`);
    const captions = await page.locator('[data-testid=tour-caption-input]').evaluateAll((inputs) => inputs.map((i) => i.value));
    assert.deepEqual(captions, stops.map((s) => s.caption));

    // Reordering is undoable.
    await page.locator('[data-testid=tour-down]').first().click();
    assert.equal(await page.locator('[data-testid=tour-caption-input]').nth(1).inputValue(), stops[0].caption);
    await page.locator('[data-testid=tour-undo]').click();
    assert.equal(await page.locator('[data-testid=tour-caption-input]').first().inputValue(), stops[0].caption);

    await page.locator('[data-testid=present]').click();
    await page.locator('[data-testid=presenter-bar][data-presenting=true]').waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.classList.contains('presenting')));
    assert.ok(await page.locator('.side-left').isHidden(), 'editing panels are out of the way');
    const caption = page.locator('[data-testid=tour-caption]');
    const expectStop = async (index) => {
      await page.waitForFunction((text) => document.querySelector('[data-testid=tour-caption]')?.textContent === text, stops[index].caption);
      // The camera lands on the saved view, and the address bar says so.
      await waitForView(page, { is: stops[index].hash });
      await waitForAddressBar(page, stops[index].hash);
      assert.equal(await page.locator('[data-testid=tour-position]').textContent(), `Stop ${index + 1} of 3`);
    };
    await expectStop(0);
    assert.deepEqual(await wayFocused(page), [stops[0].hash.match(/way=(\d+)/)[1]]);
    await page.keyboard.press('ArrowRight');
    await expectStop(1);
    assert.deepEqual(await wayFocused(page), []);
    assert.deepEqual(await clusterHighlighted(page), [stops[1].hash.match(/cluster=(-?\d+)/)[1]]);
    await page.keyboard.press('PageDown');
    await expectStop(2);
    assert.equal(await page.locator('[data-testid=search]').inputValue(), 'ældre');
    await page.keyboard.press(' ');
    await expectStop(2); // the last stop stays
    await page.keyboard.press('PageUp');
    await expectStop(1);
    await page.keyboard.press('ArrowLeft');
    await expectStop(0);
    assert.equal(await caption.textContent(), stops[0].caption);

    // Statements can be hidden from the room.
    await page.keyboard.press('h');
    await page.locator('[data-testid=hide-statements][aria-pressed=true]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=presenter-bar][data-presenting=false]').waitFor();
    assert.ok(await page.locator('.side-left').isVisible());

    tourProject = await publishProject(page);
    tourStops = stops;
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('opens a published project read-only from ?project=&mode=explore, with its tour and a summary', async () => {
    assert.ok(tourProject, 'needs the project of the previous test');
    const { context, page, requests, problems } = await openAt(
      app.browser,
      `${app.server.url}?project=${encodeURIComponent(tourProject)}&mode=explore`,
    );
    await page.locator('[data-testid=app][data-status=ready]').waitFor({ timeout: 60_000 });
    const summary = await page.locator('[data-testid=explorer-summary]').textContent();
    const clusters = await page.locator('[data-testid=app]').getAttribute('data-clusters');
    assert.match(summary, /respondents/);
    assert.match(summary, /words/);
    assert.ok(summary.includes(`${clusters}clusters`) || summary.includes(`${clusters} clusters`), summary);
    const ways = await page.locator('[data-testid=explorer-ways] li').count();
    assert.ok(ways >= 4, `the ways with their descriptions (${ways})`);
    // Editing controls are hidden; reading ones stay.
    for (const hidden of ['tour-add', 'rename-cluster', 'create-way', 'merge-clusters', 'load-example']) {
      const element = page.locator(`[data-testid=${hidden}]`).first();
      assert.ok((await element.count()) === 0 || (await element.isHidden()), `${hidden} hidden`);
    }
    assert.ok(await page.locator('[data-testid=search]').isVisible());
    // The tour came with the project: presenting starts at its first stop.
    await page.locator('[data-testid=present]').click();
    await page.waitForFunction((text) => document.querySelector('[data-testid=tour-caption]')?.textContent === text, tourStops[0].caption);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((text) => document.querySelector('[data-testid=tour-caption]')?.textContent === text, tourStops[1].caption);
    const origin = new URL(app.server.url).origin;
    assert.deepEqual(requests.filter((url) => !url.startsWith(origin)), []);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('reopens a shared link with the same view, focus, filters and search in a fresh browser context', async () => {
    assert.ok(tourProject, 'needs the project of the first test');
    const first = await openAt(app.browser, `${app.server.url}?project=${encodeURIComponent(tourProject)}`);
    const page = first.page;
    await page.locator('[data-testid=app][data-status=ready]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=zoom-in]').click();
    await page.locator('[data-testid=map]').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowRight');
    await page.locator('[data-testid=focus-way]').nth(1).click();
    await page.locator('[data-testid=cluster-list] li[data-cluster-id] .cluster-entry').first().click();
    await page.locator('[data-testid=filters] input[type=checkbox]').nth(1).uncheck();
    await page.locator('[data-testid=search]').fill('skole');
    const shared = await waitForView(page, { has: ['v=', 'way=', 'cluster=', 'f=', 'q=skole'] });
    await waitForAddressBar(page, shared);
    // The share box offers the same link as the address bar.
    await page.locator('[data-testid=share]').click();
    const offered = await page.locator('[data-testid=share-link]').inputValue();
    assert.equal(offered, await page.evaluate(() => location.href));
    const expected = {
      way: await wayFocused(page),
      cluster: await clusterHighlighted(page),
      filtersActive: await page.locator('[data-testid=filters]').getAttribute('data-active'),
    };
    await first.context.close();

    // A different browser: nothing shared but the link.
    const browser = await launch();
    try {
      const second = await openAt(browser, offered);
      const again = second.page;
      await again.locator('[data-testid=app][data-status=ready]').waitFor({ timeout: 60_000 });
      await waitForView(again, { is: shared });
      await waitForAddressBar(again, shared);
      assert.deepEqual(await wayFocused(again), expected.way);
      assert.deepEqual(await clusterHighlighted(again), expected.cluster);
      assert.equal(await again.locator('[data-testid=filters]').getAttribute('data-active'), expected.filtersActive);
      assert.equal(await again.locator('[data-testid=search]').inputValue(), 'skole');
      assert.deepEqual(second.problems, []);
    } finally {
      await browser.close();
    }
  });

  it('says clearly why a ?project= link does not open, in the reader\'s language, without leaving the origin', async () => {
    const origin = new URL(app.server.url).origin;
    const cases = [
      { link: 'missing/nowhere.json', expect: [/missing\/nowhere\.json/, /HTTP 404/, /Check the path/] },
      { link: 'https://example.org/project.json', expect: [/another site \(https:\/\/example\.org\)/, /connect-src 'self'/] },
      { link: 'example/velfaerd-workshop.csv', expect: [/velfaerd-workshop\.csv/, /not a Vejkort project/] },
      { link: '', expect: [/names no file/] },
    ];
    for (const { link, expect } of cases) {
      const { context, page, requests, problems } = await openAt(app.browser, `${app.server.url}?project=${encodeURIComponent(link)}`);
      await page.locator('[data-testid=app][data-status=error]').waitFor({ timeout: 30_000 });
      const message = await errorText(page);
      for (const pattern of expect) assert.match(message, pattern, `${link}: ${message}`);
      // Not a blank page: the welcome and its load button are still there.
      assert.ok(await page.locator('[data-testid=load-example]').isVisible());
      assert.deepEqual(requests.filter((url) => !url.startsWith(origin)), [], link);
      assert.deepEqual(problems, [], link);
      await context.close();
    }
    // A broken project file names what is wrong with it.
    const { context, page } = await openAt(app.browser, `${app.server.url}?project=index.html`, { locale: 'da-DK' });
    await page.locator('[data-testid=app][data-status=error]').waitFor({ timeout: 30_000 });
    assert.match(await errorText(page), /index\.html: filen blev hentet, men er ikke en Vejkort-projektfil/);
    await context.close();
  });
});
