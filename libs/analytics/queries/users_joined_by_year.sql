-- Users who joined each year from 2015 to 2020 (the UTC year of user.date_joined): one user record per
-- distinct post (the view holds one row per post), counted by the year it joined. The column keeps the
-- seed project's name, post_year.
WITH joined AS (
  SELECT CAST(EXTRACT(YEAR FROM date_joined) AS INTEGER) AS join_year
  FROM user
)
SELECT join_year AS post_year, COUNT(*) AS number_users_joined
FROM joined
WHERE join_year BETWEEN 2015 AND 2020
GROUP BY join_year
ORDER BY join_year
