/**
 * The analytics questions of DESIGN §1.2: their ids (also the names of the `.sql` files under
 * `queries/` and of the result tables) and their exact output columns.
 */

/** Every query id, in the order the report shows them. */
export const QUERY_IDS = [
  'top_category_by_country',
  'top_category_by_year',
  'top_user_by_country',
  'top_country_by_followers',
  'top_category_by_age_group',
  'median_followers_by_age_group',
  'users_joined_by_year',
  'median_followers_by_join_year',
  'median_followers_by_age_group_and_join_year',
] as const;

/** One analytics question. */
export type QueryId = (typeof QUERY_IDS)[number];

/** The output columns of each query, in order; the runner rejects a query file that returns others. */
export const QUERY_COLUMNS: { readonly [Id in QueryId]: readonly string[] } = {
  top_category_by_country: ['country', 'category', 'category_count'],
  top_category_by_year: ['post_year', 'category', 'category_count'],
  top_user_by_country: ['country', 'poster_name', 'follower_count'],
  top_country_by_followers: ['country', 'follower_count'],
  top_category_by_age_group: ['age_group', 'category', 'category_count'],
  median_followers_by_age_group: ['age_group', 'median_follower_count'],
  users_joined_by_year: ['post_year', 'number_users_joined'],
  median_followers_by_join_year: ['post_year', 'median_follower_count'],
  median_followers_by_age_group_and_join_year: ['age_group', 'post_year', 'median_follower_count'],
};

/** Whether a string is one of the query ids (for command-line arguments and file names). */
export function isQueryId(value: string): value is QueryId {
  return (QUERY_IDS as readonly string[]).includes(value);
}
