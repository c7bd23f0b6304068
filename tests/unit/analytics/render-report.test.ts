import { type ReportInput, renderReport } from '../../../libs/analytics';
import { niceTicks } from '../../../libs/analytics/report/charts';

const BASE: ReportInput = {
  results: [],
  volumes: { pin: 1234567, geo: 1200, user: 0 },
  freshness: { pin: new Date('2024-01-07T22:39:05.123Z'), geo: null },
  quarantine: { 'pinlake.pin': 1500, 'pinlake.geo': 0 },
  runId: 'run-42',
  generatedAt: new Date('2024-01-08T06:00:12Z'),
};

describe('Function: renderReport()', () => {
  it('shows the run, the rows and latest ingest per table, and the quarantined records', () => {
    // Act
    const html = renderReport(BASE);

    // Assess
    expect(html).toContain('<title>pinlake analytics · run-42</title>');
    expect(html).toContain(
      'Run <code>run-42</code> · generated <time datetime="2024-01-08T06:00:12.000Z">2024-01-08 06:00:12 UTC</time>',
    );
    const tiles = html.match(/<div class="tiles"[\s\S]*?<\/ul><\/div><\/div>/)?.[0];
    expect(tiles).toBe(
      '<div class="tiles" aria-label="Run summary">' +
        '<div class="tile" data-table="pin"><h2>pin rows</h2><p class="big">1,234,567</p>' +
        '<p class="small">latest ingest<br>2024-01-07 22:39:05 UTC</p></div>' +
        '<div class="tile" data-table="geo"><h2>geo rows</h2><p class="big">1,200</p>' +
        '<p class="small">latest ingest<br>none yet</p></div>' +
        '<div class="tile" data-table="user"><h2>user rows</h2><p class="big">0</p>' +
        '<p class="small">latest ingest<br>none yet</p></div>' +
        '<div class="tile warn" data-table="quarantine"><h2>Quarantined</h2><p class="big">1,500</p>' +
        '<ul><li>pinlake.pin: 1,500</li></ul></div></div>',
    );
  });

  it('shows the batches and runs given up on beside the quarantine, only when there are some', () => {
    // Act
    const none = renderReport({ ...BASE, onFailure: 0 });
    const some = renderReport({ ...BASE, onFailure: 2 });

    // Assess
    expect(none).not.toContain('data-table="onfailure"');
    expect(some).toContain(
      '<div class="tile warn" data-table="onfailure"><h2>Given up</h2><p class="big">2</p>' +
        '<p class="small">batches or runs in <code>quarantine/onfailure/</code></p></div></div>',
    );
  });

  it('escapes text from the data so it cannot inject markup', () => {
    // Prepare
    const input: ReportInput = {
      ...BASE,
      results: [
        {
          id: 'top_category_by_country',
          columns: ['country', 'category', 'category_count'],
          rows: [{ country: '<script>alert("x")</script>', category: 'art & "craft"', category_count: 3 }],
        },
      ],
    };

    // Act
    const html = renderReport(input);

    // Assess
    expect(html).not.toContain('<script');
    expect(html).toContain(
      '<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<span class="badge">TOP</span></td>' +
        '<td>art &amp; &quot;craft&quot;</td>',
    );
  });

  it('refers to no external resource: no links, sources, imports or URLs', () => {
    // Prepare
    const input: ReportInput = {
      ...BASE,
      results: [
        {
          id: 'users_joined_by_year',
          columns: ['post_year', 'number_users_joined'],
          rows: [{ post_year: 2015, number_users_joined: 574 }],
        },
      ],
    };

    // Act
    const html = renderReport(input);

    // Assess
    expect(html.match(/\b(src|href)=|url\(|@import|https?:|\/\//g)).toBeNull();
  });

  it('writes numbers with thousands separators in charts and tables', () => {
    // Prepare
    const input: ReportInput = {
      ...BASE,
      results: [
        {
          id: 'median_followers_by_join_year',
          columns: ['post_year', 'median_follower_count'],
          rows: [
            { post_year: 2015, median_follower_count: 114422.5 },
            { post_year: 2016, median_follower_count: 25000 },
          ],
        },
      ],
    };

    // Act
    const html = renderReport(input);

    // Assess
    expect(html).toContain('<desc id="chart-median-join-desc">2015: 114,422.5; 2016: 25,000.</desc>');
    expect(html).toContain('<title>2015: 114,422.5</title>');
  });

  it('says which questions were not computed and which have no rows', () => {
    // Prepare
    const input: ReportInput = {
      ...BASE,
      results: [{ id: 'users_joined_by_year', columns: ['post_year', 'number_users_joined'], rows: [] }],
    };

    // Act
    const html = renderReport(input);

    // Assess
    const notes = [...html.matchAll(/data-query="(\w+)"[\s\S]*?<p class="empty">([^<]*)<\/p>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(notes).toStrictEqual([
      ['top_category_by_country', 'Not computed in this run.'],
      ['top_user_by_country', 'Not computed in this run.'],
      ['top_country_by_followers', 'Not computed in this run.'],
      ['top_category_by_year', 'Not computed in this run.'],
      ['top_category_by_age_group', 'Not computed in this run.'],
      ['median_followers_by_age_group', 'Not computed in this run.'],
      ['users_joined_by_year', 'No data yet: no posts matched this question.'],
      ['median_followers_by_join_year', 'Not computed in this run.'],
      ['median_followers_by_age_group_and_join_year', 'Not computed in this run.'],
    ]);
  });
});

describe('Function: niceTicks()', () => {
  it.each([
    [398, [0, 100, 200, 300, 400]],
    [81196, [0, 50000, 100000]],
    [5000.5, [0, 2000, 4000, 6000]],
    [1, [0, 0.5, 1]],
    [0, [0, 1]],
  ])('gives round ticks from 0 past %p', (max, ticks) => {
    // Act
    const result = niceTicks(max);

    // Assess
    expect(result).toStrictEqual(ticks);
  });
});
