-- Median follower count by age group (18-24, 25-35, 36-50, +50) and the year the poster joined,
-- 2015 to 2020: pins joined to user records on ind. Exact interpolated median over the posts whose
-- follower count is known.
WITH grouped AS (
  SELECT p.follower_count,
    CASE
      WHEN u.age BETWEEN 18 AND 24 THEN '18-24'
      WHEN u.age BETWEEN 25 AND 35 THEN '25-35'
      WHEN u.age BETWEEN 36 AND 50 THEN '36-50'
      WHEN u.age > 50 THEN '+50'
    END AS age_group,
    CAST(EXTRACT(YEAR FROM u.date_joined) AS INTEGER) AS join_year
  FROM pin p
  JOIN user u ON u.ind = p.ind
)
SELECT age_group, join_year AS post_year,
  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY follower_count) AS median_follower_count
FROM grouped
WHERE age_group IS NOT NULL AND join_year BETWEEN 2015 AND 2020 AND follower_count IS NOT NULL
GROUP BY age_group, join_year
ORDER BY CASE age_group WHEN '18-24' THEN 1 WHEN '25-35' THEN 2 WHEN '36-50' THEN 3 ELSE 4 END, join_year
