/** The text a category's pins are written from: subjects, tags, description sentences, posters. */
export interface CategoryText {
  /** Title Case subjects a pin is about ("Christmas Centerpieces"). */
  readonly subjects: readonly string[];
  /** Pinterest-style tags; a pin carries nine of them. */
  readonly tags: readonly string[];
  /** Description sentences; `{s}` stands for the subject, `{n}` for a number. */
  readonly sentences: readonly string[];
  /** Blog and shop names that post in this category. */
  readonly posters: readonly string[];
}
