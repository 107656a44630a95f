// The word lists and genre odds the synthetic MovieLens generator draws from (no MovieLens data).

/** Relative genre frequencies (roughly ml-100k's); index = ML100K_GENRES; 'unknown' is never drawn. */
export const GENRE_WEIGHTS = [0, 25, 13, 4, 7, 30, 11, 5, 43, 2, 2, 9, 5, 6, 15, 10, 15, 7, 2];
/** Genres whose odds triple for female users. */
export const FEMALE_BOOST = new Set(['Romance', 'Drama', 'Musical', "Children's", 'Comedy']);
/** Genres whose odds triple for male users. */
export const MALE_BOOST = new Set(['Action', 'Sci-Fi', 'War', 'Thriller', 'Adventure']);
/** Genres whose odds triple for users 45 and older. */
export const OLDER_BOOST = new Set(['Film-Noir', 'War', 'Western', 'Drama', 'Mystery']);
/** Month abbreviations of u.item's release dates. */
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** First words of synthetic titles (with accents, to exercise Latin-1). */
export const ADJECTIVES = [
  'Silent',
  'Crimson',
  'Last',
  'Lost',
  'Electric',
  'Quiet',
  'Golden',
  'Broken',
  'Hidden',
  'Wild',
  'Café',
  'Señor',
  'Über',
  "Amélie's",
  'Naïve',
];
/** Second words of synthetic titles. */
export const NOUNS = [
  'River',
  'Summer',
  'Machine',
  'Garden',
  'Detective',
  'Voyage',
  'Kingdom',
  'Letters',
  'Storm',
  'Circus',
  'Night',
  'Crossing',
];
/** Tags of the csv layout's tags.csv, by genre (one with a comma, to exercise quoting). */
export const TAG_WORDS: Readonly<Record<string, readonly string[]>> = {
  Action: ['explosions', 'car chase'],
  Comedy: ['funny', 'witty'],
  Drama: ['moving', 'slow burn'],
  Romance: ['romantic', 'love story'],
  Crime: ['dark, gritty', 'heist'],
  'Sci-Fi': ['space', 'dystopia'],
  Horror: ['scary', 'gore'],
  Thriller: ['suspense', 'twist ending'],
};
