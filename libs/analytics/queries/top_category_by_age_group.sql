-- Most popular category per age group (18-24, 25-35, 36-50, +50): pins joined to user records on ind,
-- one row per age group. Counts distinct posts (the views hold one row per post); ties go to the
-- category name first in binary order.
WITH grouped AS (
  SELECT p.category,
    CASE
      WHEN u.age BETWEEN 18 AND 24 THEN '18-24'
      WHEN u.age BETWEEN 25 AND 35 THEN '25-35'
      WHEN u.age BETWEEN 36 AND 50 THEN '36-50'
      WHEN u.age > 50 THEN '+50'
    END AS age_group
  FROM pin p
  JOIN user u ON u.ind = p.ind
),
category_counts AS (
  SELECT age_group, category, COUNT(*) AS category_count
  FROM grouped
  WHERE age_group IS NOT NULL AND category IS NOT NULL
  GROUP BY age_group, category
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
