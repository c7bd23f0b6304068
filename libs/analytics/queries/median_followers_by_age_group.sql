-- Median follower count per age group (18-24, 25-35, 36-50, +50): pins joined to user records on ind.
-- Exact interpolated median over the posts whose follower count is known, without PERCENTILE_CONT
-- (Athena/Trino has none): the rows are numbered within their group, and the middle one (odd count)
-- or the mean of the two middle ones (even count) is kept: exactly those rows have 2 x place equal to
-- the count, the count + 1 or the count + 2. No division, so integer and decimal division alike.
WITH grouped AS (
  SELECT p.follower_count,
    CASE
      WHEN u.age BETWEEN 18 AND 24 THEN '18-24'
      WHEN u.age BETWEEN 25 AND 35 THEN '25-35'
      WHEN u.age BETWEEN 36 AND 50 THEN '36-50'
      WHEN u.age > 50 THEN '+50'
    END AS age_group
  FROM pin p
  JOIN user u ON u.ind = p.ind
),
ranked AS (
  SELECT age_group, follower_count,
    ROW_NUMBER() OVER (PARTITION BY age_group ORDER BY follower_count) AS place,
    COUNT(*) OVER (PARTITION BY age_group) AS group_size
  FROM grouped
  WHERE age_group IS NOT NULL AND follower_count IS NOT NULL
)
SELECT age_group, AVG(CAST(follower_count AS DOUBLE)) AS median_follower_count
FROM ranked
WHERE 2 * place BETWEEN group_size AND group_size + 2
GROUP BY age_group
ORDER BY CASE age_group WHEN '18-24' THEN 1 WHEN '25-35' THEN 2 WHEN '36-50' THEN 3 ELSE 4 END
