import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { QUERY_IDS, type QueryResult, renderReport, runQueries } from '../../../libs/analytics';
import { REPORT_ORDER } from '../../../libs/analytics/report/sections';
import type { Kind, RowOf } from '../../../libs/records/tables';
import { generateCleanTables } from '../../helpers/analytics-generated-posts';
import { writeCleanParquet } from '../../helpers/analytics-parquet';
import { makeTempDir } from '../../helpers/temp-dir';

const OUTPUT_DIR = join(__dirname, '..', '..', '..', 'test-output');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the page did while loading: console errors, uncaught errors and every request it made. */
interface PageLoad {
  page: Page;
  errors: string[];
  requests: string[];
}

describe('Function: renderReport() in a real browser', () => {
  let browser: Browser;
  let dir: { path: string; cleanup: () => Promise<void> };
  let results: QueryResult[];

  beforeAll(async () => {
    // Debian's chromium (.ci/run installs it); CHROMIUM_PATH points elsewhere on other systems.
    const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    dir = await makeTempDir('analytics-report');
    const tables = generateCleanTables(4000, 7);
    const write = async <K extends Kind>(kind: K, rows: readonly RowOf[K][]) => {
      const path = join(dir.path, `${kind}.parquet`);
      await writeCleanParquet([{ path, kind, rows }]);
      return [path];
    };
    const files = {
      pin: await write('pin', tables.pin),
      geo: await write('geo', tables.geo),
      user: await write('user', tables.user),
    };
    results = await runQueries(files);
  });

  afterAll(async () => {
    await browser?.close();
    await dir?.cleanup();
  });

  async function open(html: string, name: string): Promise<PageLoad> {
    const path = join(dir.path, name);
    await writeFile(path, html);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const load: PageLoad = { page, errors: [], requests: [] };
    page.on('console', (message) => {
      if (message.type() === 'error') load.errors.push(message.text());
    });
    page.on('pageerror', (error) => load.errors.push(error.message));
    page.on('request', (request) => load.requests.push(request.url()));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    return load;
  }

  it('shows every question as a chart or table, with no errors and no network requests', async () => {
    // Prepare
    const html = renderReport({
      results,
      volumes: { pin: 4400, geo: 4180, user: 4180 },
      freshness: {
        pin: new Date('2024-01-07T22:39:00Z'),
        geo: new Date('2024-01-07T22:39:00Z'),
        user: new Date('2024-01-07T22:38:00Z'),
      },
      quarantine: { 'pinlake.pin': 3, 'streaming-pinlake-geo': 1 },
      runId: 'run-2024-01-08-0600',
      generatedAt: new Date('2024-01-08T06:00:12Z'),
    });

    // Act
    const { page, errors, requests } = await open(html, 'report.html');

    // Assess
    expect(errors).toStrictEqual([]);
    expect(requests).toStrictEqual([page.url()]);
    const sections = await page
      .locator('section[data-query]')
      .evaluateAll((nodes) =>
        nodes.map((n) => [
          n.getAttribute('data-query'),
          n.querySelector('svg[role="img"]') !== null,
          n.querySelector('table') !== null,
        ]),
      );
    expect(sections).toStrictEqual([
      ['top_category_by_country', false, true],
      ['top_user_by_country', false, true],
      ['top_country_by_followers', true, false],
      ['top_category_by_year', true, false],
      ['top_category_by_age_group', true, false],
      ['median_followers_by_age_group', true, false],
      ['users_joined_by_year', true, false],
      ['median_followers_by_join_year', true, false],
      ['median_followers_by_age_group_and_join_year', true, false],
    ]);
    const winner = results.find((r) => r.id === 'top_country_by_followers')?.rows[0]?.country;
    const highlighted = await page
      .locator('section[data-query="top_user_by_country"] tr.winner td:nth-child(2)')
      .allTextContents();
    expect(highlighted).toStrictEqual([`${winner}TOP`]);
    await mkdir(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUTPUT_DIR, 'report.png'), fullPage: true });
    await page.screenshot({
      path: join(OUTPUT_DIR, 'report-top.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: 1264 },
    });
    await page.close();
  });

  it('shows a note in place of every chart when there are no results', async () => {
    // Prepare
    const html = renderReport({
      results: QUERY_IDS.map((id) => ({ id, columns: [], rows: [] })),
      volumes: { pin: 0, geo: 0, user: 0 },
      freshness: { pin: null, geo: null, user: null },
      quarantine: {},
      runId: 'empty-run',
      generatedAt: new Date('2024-01-08T06:00:00Z'),
    });

    // Act
    const { page, errors, requests } = await open(html, 'empty.html');

    // Assess
    expect(errors).toStrictEqual([]);
    expect(requests).toStrictEqual([page.url()]);
    const notes = await page
      .locator('section[data-query]')
      .evaluateAll((nodes) =>
        nodes.map((n) => [n.getAttribute('data-query'), n.querySelector('p.empty')?.textContent]),
      );
    expect(notes).toStrictEqual(
      REPORT_ORDER.map((id) => [id, 'No data yet: no posts matched this question.']),
    );
    await page.screenshot({ path: join(OUTPUT_DIR, 'report-empty.png'), fullPage: true });
    await page.close();
  });
});
