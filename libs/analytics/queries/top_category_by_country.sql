-- Most popular category in each country: pins joined to geo records on ind, one row per country.
-- Counts distinct posts; ties go to the category name first in binary order.
WITH pin_first AS (
  SELECT ind, category
  FROM (
    SELECT ind, category, ROW_NUMBER() OVER (PARTITION BY ind ORDER BY ingested_at, source) AS arrival
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
category_counts AS (
  SELECT g.country, p.category, COUNT(*) AS category_count
  FROM pin_first p
  JOIN geo_first g ON g.ind = p.ind
  WHERE g.country IS NOT NULL AND p.category IS NOT NULL
  GROUP BY g.country, p.category
),
ranked AS (
  SELECT country, category, category_count,
    ROW_NUMBER() OVER (PARTITION BY country ORDER BY category_count DESC, category) AS place
  FROM category_counts
)
SELECT country, category, category_count
FROM ranked
WHERE place = 1
ORDER BY country
