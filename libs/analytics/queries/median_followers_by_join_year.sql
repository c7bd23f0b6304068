-- Median follower count by the year the poster joined, 2015 to 2020: pins joined to user records on ind.
-- Exact interpolated median over the posts whose follower count is known, without PERCENTILE_CONT
-- (Athena/Trino has none): the rows are numbered within their group, and the middle one (odd count)
-- or the mean of the two middle ones (even count) is kept: exactly those rows have 2 x place equal to
-- the count, the count + 1 or the count + 2. No division, so integer and decimal division alike.
WITH joined AS (
  SELECT p.follower_count, CAST(EXTRACT(YEAR FROM u.date_joined) AS INTEGER) AS join_year
  FROM pin p
  JOIN user u ON u.ind = p.ind
),
ranked AS (
  SELECT join_year, follower_count,
    ROW_NUMBER() OVER (PARTITION BY join_year ORDER BY follower_count) AS place,
    COUNT(*) OVER (PARTITION BY join_year) AS group_size
  FROM joined
  WHERE join_year BETWEEN 2015 AND 2020 AND follower_count IS NOT NULL
)
SELECT join_year AS post_year, AVG(CAST(follower_count AS DOUBLE)) AS median_follower_count
FROM ranked
WHERE 2 * place BETWEEN group_size AND group_size + 2
GROUP BY join_year
ORDER BY join_year
