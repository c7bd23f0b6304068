-- Most popular category each year from 2018 to 2022 (the UTC year of geo.timestamp), one row per year.
-- Counts distinct posts (the views hold one row per post); ties go to the category name first in
-- binary order.
WITH dated AS (
  SELECT p.category, CAST(EXTRACT(YEAR FROM g.timestamp) AS INTEGER) AS post_year
  FROM pin p
  JOIN geo g ON g.ind = p.ind
),
category_counts AS (
  SELECT post_year, category, COUNT(*) AS category_count
  FROM dated
  WHERE post_year BETWEEN 2018 AND 2022 AND category IS NOT NULL
  GROUP BY post_year, category
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
