-- Median follower count by the year the poster joined, 2015 to 2020: pins joined to user records on ind.
-- Exact interpolated median over the posts whose follower count is known.
WITH joined AS (
  SELECT p.follower_count, CAST(EXTRACT(YEAR FROM u.date_joined) AS INTEGER) AS join_year
  FROM pin p
  JOIN user u ON u.ind = p.ind
)
SELECT join_year AS post_year,
  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY follower_count) AS median_follower_count
FROM joined
WHERE join_year BETWEEN 2015 AND 2020 AND follower_count IS NOT NULL
GROUP BY join_year
ORDER BY join_year
