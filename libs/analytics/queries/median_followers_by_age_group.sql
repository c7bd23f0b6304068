-- Median follower count per age group (18-24, 25-35, 36-50, +50): pins joined to user records on ind.
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
  SELECT ind,
    CASE
      WHEN age BETWEEN 18 AND 24 THEN '18-24'
      WHEN age BETWEEN 25 AND 35 THEN '25-35'
      WHEN age BETWEEN 36 AND 50 THEN '36-50'
      WHEN age > 50 THEN '+50'
    END AS age_group
  FROM (
    SELECT ind, age, ROW_NUMBER() OVER (PARTITION BY ind ORDER BY ingested_at, source) AS arrival
    FROM user
  ) user_ranked
  WHERE arrival = 1
)
SELECT u.age_group,
  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY p.follower_count) AS median_follower_count
FROM pin_first p
JOIN user_first u ON u.ind = p.ind
WHERE u.age_group IS NOT NULL AND p.follower_count IS NOT NULL
GROUP BY u.age_group
ORDER BY CASE u.age_group WHEN '18-24' THEN 1 WHEN '25-35' THEN 2 WHEN '36-50' THEN 3 ELSE 4 END
