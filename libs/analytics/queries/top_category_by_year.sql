-- Most popular category each year from 2018 to 2022 (the UTC year of geo.timestamp), one row per year.
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
  SELECT ind, CAST(EXTRACT(YEAR FROM timestamp) AS INTEGER) AS post_year
  FROM (
    SELECT ind, timestamp, ROW_NUMBER() OVER (PARTITION BY ind ORDER BY ingested_at, source) AS arrival
    FROM geo
  ) geo_ranked
  WHERE arrival = 1
),
category_counts AS (
  SELECT g.post_year, p.category, COUNT(*) AS category_count
  FROM pin_first p
  JOIN geo_first g ON g.ind = p.ind
  WHERE g.post_year BETWEEN 2018 AND 2022 AND p.category IS NOT NULL
  GROUP BY g.post_year, p.category
),
ranked AS (
  SELECT post_year, category, category_count,
    ROW_NUMBER() OVER (PARTITION BY post_year ORDER BY category_count DESC, category) AS place
  FROM category_counts
)
SELECT post_year, category, category_count
FROM ranked
WHERE place = 1
ORDER BY post_year
