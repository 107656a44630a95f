/** MovieLens genre vocabularies, shared by the ml-100k and ml-1m formats and the synthetic generator. */

/** The 18 genres of ml-1m's README, in that order. */
export const ML1M_GENRES: readonly string[] = [
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
];

/** The 19 genres of ml-100k's `u.genre`, in flag order: ml-1m's 18 after 'unknown' (used when `u.genre` is absent). */
export const ML100K_GENRES: readonly string[] = ['unknown', ...ML1M_GENRES];
