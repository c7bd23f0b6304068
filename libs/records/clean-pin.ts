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

/** The pin columns that come one to one from a raw field of the same name. */
const PIN_TEXT_COLUMNS = [
  'unique_id',
  'title',
  'description',
  'follower_count',
  'poster_name',
  'tag_list',
  'is_image_or_video',
  'image_src',
  'save_location',
  'category',
] as const;

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

const nulledColumns = (o: RawObject, row: PinRow): string[] => {
  const nulled: string[] = [];
  for (const column of PIN_TEXT_COLUMNS) {
    if (row[column] === null && o[column] != null) nulled.push(column);
  }
  return nulled;
};
