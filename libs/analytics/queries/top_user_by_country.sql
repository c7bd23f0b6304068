-- The poster with the most followers in each country: pins joined to geo records on ind, one row per
-- country. Ties go to the poster name first in binary order.
WITH ranked AS (
  SELECT g.country, p.poster_name, p.follower_count,
    ROW_NUMBER() OVER (PARTITION BY g.country ORDER BY p.follower_count DESC, p.poster_name) AS place
  FROM pin p
  JOIN geo g ON g.ind = p.ind
  WHERE g.country IS NOT NULL AND p.poster_name IS NOT NULL AND p.follower_count IS NOT NULL
)
SELECT country, poster_name, follower_count
FROM ranked
WHERE place = 1
ORDER BY country
