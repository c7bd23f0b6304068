/**
 * The pin cleaning rules (DESIGN §1.1).
 */
import type { CleanMeta, CleanResult } from './clean-types';
import { parseFollowerCount } from './follower-count';
import { type RawObject, readPinFields } from './raw-read';
import { checkRecord } from './record-shape';
import type { PinRow } from './tables';
import { cleanText } from './text';

const TITLE_PLACEHOLDERS = ['No Title Data Available', 'Untitled'];
const DESCRIPTION_PLACEHOLDERS = [
  'No description available Story format',
  'No description available',
  'Untitled',
];
const USER_INFO_ERROR = ['User Info Error'];
const IMAGE_SRC_PLACEHOLDERS = ['Image src error.'];
const TAG_LIST_PLACEHOLDERS = ['N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e'];
const SAVE_PREFIX = 'Local save in ';

const cleanSaveLocation = (value: string | null): string | null => {
  const location = cleanText(value);
  return location?.startsWith(SAVE_PREFIX) ? cleanText(location.slice(SAVE_PREFIX.length)) : location;
};

/**
 * Cleans a parsed raw pin into a pin row, or says why it must be quarantined (not an object, not
 * a pin, no integer `index`). Field-level garbage becomes null and is listed in `nulled`. Pure.
 */
export const cleanPin = (raw: unknown, meta: CleanMeta): CleanResult<'pin'> => {
  const checked = checkRecord(raw, 'pin');
  if (!('o' in checked)) return checked;
  const f = readPinFields(checked.o, checked.id);
  const row: PinRow = {
    ind: f.index,
    unique_id: cleanText(f.unique_id),
    title: cleanText(f.title, TITLE_PLACEHOLDERS),
    description: cleanText(f.description, DESCRIPTION_PLACEHOLDERS),
    follower_count: parseFollowerCount(f.follower_count),
    poster_name: cleanText(f.poster_name, USER_INFO_ERROR),
    tag_list: cleanText(f.tag_list, TAG_LIST_PLACEHOLDERS),
    is_image_or_video: cleanText(f.is_image_or_video),
    image_src: cleanText(f.image_src, IMAGE_SRC_PLACEHOLDERS),
    save_location: cleanSaveLocation(f.save_location),
    category: cleanText(f.category),
    source: meta.source,
    ingested_at: meta.ingestedAt,
  };
  return { ok: true, row, nulled: nulledColumns(checked.o, row) };
};

// The pin columns that come one to one from a raw field of the same name, written out column by column:
// named property reads, where a loop over the names read every field through one shared lookup.
const nulledColumns = (o: RawObject, row: PinRow): string[] => {
  const nulled: string[] = [];
  if (row.unique_id === null && o.unique_id != null) nulled.push('unique_id');
  if (row.title === null && o.title != null) nulled.push('title');
  if (row.description === null && o.description != null) nulled.push('description');
  if (row.follower_count === null && o.follower_count != null) nulled.push('follower_count');
  if (row.poster_name === null && o.poster_name != null) nulled.push('poster_name');
  if (row.tag_list === null && o.tag_list != null) nulled.push('tag_list');
  if (row.is_image_or_video === null && o.is_image_or_video != null) nulled.push('is_image_or_video');
  if (row.image_src === null && o.image_src != null) nulled.push('image_src');
  if (row.save_location === null && o.save_location != null) nulled.push('save_location');
  if (row.category === null && o.category != null) nulled.push('category');
  return nulled;
};
