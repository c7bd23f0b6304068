-- Median follower count by the year the poster joined, 2015 to 2020: pins joined to user records on ind.
-- Exact interpolated median over the posts whose follower count is known.
WITH pin_first AS (
  SELECT ind, follower_count
  FROM (
    SELECT ind, follower_count, ROW_NUMBER() OVER (PARTITION BY ind ORDER BY ingested_at, source) AS arrival
    FROM pin
  ) pin_ranked
  WHERE arrival = 1
),
user_first AS (
  SELECT ind, CAST(EXTRACT(YEAR FROM date_joined) AS INTEGER) AS join_year
  FROM (
    SELECT ind, date_joined, ROW_NUMBER() OVER (PARTITION BY ind ORDER BY ingested_at, source) AS arrival
    FROM user
  ) user_ranked
  WHERE arrival = 1
)
SELECT u.join_year AS post_year,
  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY p.follower_count) AS median_follower_count
FROM pin_first p
JOIN user_first u ON u.ind = p.ind
WHERE u.join_year BETWEEN 2015 AND 2020 AND p.follower_count IS NOT NULL
GROUP BY u.join_year
ORDER BY u.join_year
