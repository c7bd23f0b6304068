-- The country whose top poster has the most followers: one row (none when no country has a poster
-- with a known follower count). Ties go to the country name first in binary order.
WITH top_user_by_country AS (
  SELECT g.country, MAX(p.follower_count) AS follower_count
  FROM pin p
  JOIN geo g ON g.ind = p.ind
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
