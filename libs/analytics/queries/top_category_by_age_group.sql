-- Most popular category per age group (18-24, 25-35, 36-50, +50): pins joined to user records on ind,
-- one row per age group. Counts distinct posts; ties go to the category name first in binary order.
WITH pin_first AS (
  SELECT ind, category
  FROM (
    SELECT ind, category, ROW_NUMBER() OVER (PARTITION BY ind ORDER BY ingested_at, source) AS arrival
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
),
category_counts AS (
  SELECT u.age_group, p.category, COUNT(*) AS category_count
  FROM pin_first p
  JOIN user_first u ON u.ind = p.ind
  WHERE u.age_group IS NOT NULL AND p.category IS NOT NULL
  GROUP BY u.age_group, p.category
),
ranked AS (
  SELECT age_group, category, category_count,
    ROW_NUMBER() OVER (PARTITION BY age_group ORDER BY category_count DESC, category) AS place
  FROM category_counts
)
SELECT age_group, category, category_count
FROM ranked
WHERE place = 1
ORDER BY CASE age_group WHEN '18-24' THEN 1 WHEN '25-35' THEN 2 WHEN '36-50' THEN 3 ELSE 4 END
