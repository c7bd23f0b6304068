-- Most popular category in each country: pins joined to geo records on ind, one row per country.
-- Counts distinct posts (the views hold one row per post); ties go to the category name first in
-- binary order.
WITH category_counts AS (
  SELECT g.country, p.category, COUNT(*) AS category_count
  FROM pin p
  JOIN geo g ON g.ind = p.ind
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
