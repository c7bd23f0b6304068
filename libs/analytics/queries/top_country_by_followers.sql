-- The country whose top poster has the most followers: one row (none when no country has a poster
-- with a known follower count). Ties go to the country name first in binary order.
WITH pin_first AS (
  SELECT ind, poster_name, follower_count
  FROM (
    SELECT ind, poster_name, follower_count,
      ROW_NUMBER() OVER (PARTITION BY ind ORDER BY ingested_at, source) AS arrival
    FROM pin
  ) pin_ranked
  WHERE arrival = 1
),
geo_first AS (
  SELECT ind, country
  FROM (
    SELECT ind, country, ROW_NUMBER() OVER (PARTITION BY ind ORDER BY ingested_at, source) AS arrival
    FROM geo
  ) geo_ranked
  WHERE arrival = 1
),
top_user_by_country AS (
  SELECT g.country, MAX(p.follower_count) AS follower_count
  FROM pin_first p
  JOIN geo_first g ON g.ind = p.ind
  WHERE g.country IS NOT NULL AND p.poster_name IS NOT NULL AND p.follower_count IS NOT NULL
  GROUP BY g.country
),
ranked AS (
  SELECT country, follower_count,
    ROW_NUMBER() OVER (ORDER BY follower_count DESC, country) AS place
  FROM top_user_by_country
)
SELECT country, follower_count
FROM ranked
WHERE place = 1
