-- Users who joined each year from 2015 to 2020 (the UTC year of user.date_joined): one user record per
-- distinct post, counted by the year it joined. The column keeps the seed project's name, post_year.
WITH user_first AS (
  SELECT ind, CAST(EXTRACT(YEAR FROM date_joined) AS INTEGER) AS join_year
  FROM (
    SELECT ind, date_joined, ROW_NUMBER() OVER (PARTITION BY ind ORDER BY ingested_at, source) AS arrival
    FROM user
  ) user_ranked
  WHERE arrival = 1
)
SELECT join_year AS post_year, COUNT(*) AS number_users_joined
FROM user_first
WHERE join_year BETWEEN 2015 AND 2020
GROUP BY join_year
ORDER BY join_year
