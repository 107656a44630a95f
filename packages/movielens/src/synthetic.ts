import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, createRng } from '@ncf/core/base';
import { ML100K_GENRES, ML100K_OCCUPATIONS } from './format-ml100k.js';
import { ML1M_AGE_GROUPS } from './format-ml1m.js';
import { cumulative, drawCumulative, gaussianVector, unit } from './synthetic-sampling.js';
import {
  ADJECTIVES,
  FEMALE_BOOST,
  GENRE_WEIGHTS,
  MALE_BOOST,
  MONTHS,
  NOUNS,
  OLDER_BOOST,
  TAG_WORDS,
} from './synthetic-vocabulary.js';
import { csvQuote, textWriter } from './text-writer.js';
import type { MovieLensFormat } from './variants.js';

/** Options of {@link writeSyntheticMovieLens} (see {@link SYNTHETIC_DEFAULTS}). */
export interface SyntheticMovieLensOptions {
  readonly seed?: number;
  readonly users?: number;
  readonly items?: number;
  /** Every user rates at least this many items (ml-100k: 20). */
  readonly minRatingsPerUser?: number;
  /** Mean ratings per user (the excess over the minimum is exponential). */
  readonly meanRatingsPerUser?: number;
  /** Latent dimensions of users, items and genres. */
  readonly factors?: number;
  /** Zipf exponent of item popularity (weight of the item at popularity rank r is 1/r^s). */
  readonly zipfExponent?: number;
  /** Share of a user's picks drawn through their preferred genres (the rest by popularity alone). */
  readonly genrePickShare?: number;
  /** Standard deviation of the rating noise. */
  readonly noise?: number;
  /** File layout to write: `100k` (default: u.data, u.item, u.user, u.genre, u.occupation, u.info), `1m` (`::` .dat) or `csv` (ml-latest / ml-25m CSVs). */
  readonly format?: MovieLensFormat;
}

/** Defaults of {@link SyntheticMovieLensOptions}: about 30,000 ratings, trains in seconds. */
export const SYNTHETIC_DEFAULTS = {
  seed: 42,
  users: 500,
  items: 800,
  minRatingsPerUser: 20,
  meanRatingsPerUser: 60,
  factors: 8,
  zipfExponent: 0.9,
  genrePickShare: 0.75,
  noise: 0.5,
  format: '100k',
} as const;

/** What {@link writeSyntheticMovieLens} wrote. */
export interface SyntheticMovieLensSummary {
  readonly dir: string;
  readonly format: MovieLensFormat;
  readonly users: number;
  readonly items: number;
  readonly ratings: number;
  /** The files written. */
  readonly files: readonly string[];
}

const RATING_START = 874724710; // 1997-09-20, the start of ml-100k's collection period
const SPAN_SECONDS = 215 * 86400;

/**
 * Writes a seeded synthetic MovieLens-like dataset to `dir` in a real MovieLens file layout (default ml-100k's:
 * `u.data`, `u.item` in Latin-1 with accented titles, `u.user`, `u.genre`, `u.occupation`, `u.info`), so the
 * same parsers read it as the real data. It is the package's default dataset for demos and tests; it contains
 * no MovieLens data.
 *
 * The model: every genre has a latent vector; an item's vector is the mean of its 1–3 genres' vectors plus
 * noise, a user's the mean of 1–3 favourite genres (drawn with demographic shifts: gender and age change
 * genre odds, so user features carry signal) plus noise. Items get Zipf popularity over a random rank order.
 * A user picks items either through a genre drawn from their affinity to each genre, then an item of that
 * genre by popularity, or by popularity alone; the rating is round(3.5 + user bias + item bias + 1.5·cos(u, v)
 * + noise) clipped to 1–5 (half stars for `csv`). Timestamps: each user rates in bursts after a start date
 * inside ml-100k's collection period. Same seed and options → byte-identical files.
 */
export async function writeSyntheticMovieLens(
  dir: string,
  options: SyntheticMovieLensOptions = {},
): Promise<SyntheticMovieLensSummary> {
  const o = { ...SYNTHETIC_DEFAULTS, ...options };
  for (const key of ['users', 'items', 'minRatingsPerUser', 'meanRatingsPerUser', 'factors'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1)
      throw new ConfigError(`${key} must be a positive integer, got ${o[key]}`, key);
  }
  if (o.items < 2 * o.minRatingsPerUser) {
    throw new ConfigError(
      `items (${o.items}) must be at least 2 × minRatingsPerUser (${o.minRatingsPerUser})`,
      'items',
    );
  }
  if (o.meanRatingsPerUser < o.minRatingsPerUser) {
    throw new ConfigError(
      `meanRatingsPerUser (${o.meanRatingsPerUser}) must be ≥ minRatingsPerUser (${o.minRatingsPerUser})`,
      'meanRatingsPerUser',
    );
  }
  if (!(o.genrePickShare >= 0 && o.genrePickShare <= 1))
    throw new ConfigError(`genrePickShare must be in [0, 1], got ${o.genrePickShare}`, 'genrePickShare');
  if (o.format !== '100k' && o.format !== '1m' && o.format !== 'csv') {
    throw new ConfigError(`format must be '100k', '1m' or 'csv', got ${JSON.stringify(o.format)}`, 'format');
  }
  const rng = createRng(o.seed);
  const d = o.factors;
  const G = ML100K_GENRES.length;
  const genreVec = Array.from({ length: G }, () => unit(gaussianVector(rng, d)));

  // Items: genres, vectors, year, popularity, bias.
  const nItems = o.items;
  const itemGenres: number[][] = [];
  const itemVec: Float64Array[] = [];
  const itemYear = new Int32Array(nItems);
  const itemBias = new Float64Array(nItems);
  const genreCum = cumulative(GENRE_WEIGHTS);
  const rank = Array.from({ length: nItems }, (_, i) => i);
  for (let i = nItems - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rank[i], rank[j]] = [rank[j] as number, rank[i] as number];
  }
  const popularity = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    const u = rng.next();
    const k = u < 0.45 ? 1 : u < 0.85 ? 2 : 3;
    const gs: number[] = [];
    while (gs.length < k) {
      const g = drawCumulative(genreCum, rng);
      if (!gs.includes(g)) gs.push(g);
    }
    gs.sort((a, b) => a - b);
    itemGenres.push(gs);
    const v = gaussianVector(rng, d, 0.12);
    for (const g of gs)
      for (let f = 0; f < d; f++) v[f] = (v[f] as number) + (genreVec[g]![f] as number) / gs.length;
    itemVec.push(unit(v));
    const y = rng.next();
    itemYear[i] = y < 0.65 ? 1990 + rng.int(9) : y < 0.9 ? 1970 + rng.int(20) : 1930 + rng.int(40);
    popularity[i] = 1 / Math.pow((rank[i] as number) + 1, o.zipfExponent);
    itemBias[i] = 0.35 * rng.normal() + 0.4 * (1 - (rank[i] as number) / nItems) - 0.2;
  }
  const popCum = cumulative(popularity);
  const genreItems: number[][] = Array.from({ length: G }, () => []);
  itemGenres.forEach((gs, i) => gs.forEach((g) => genreItems[g]!.push(i)));
  const genreItemCum = genreItems.map((list) => cumulative(list.map((i) => popularity[i] as number)));

  // Users: demographics, favourite genres, vector, bias.
  const nUsers = o.users;
  const userAge = new Int32Array(nUsers);
  const userGender = new Uint8Array(nUsers);
  const userOcc = new Int32Array(nUsers);
  const userZip: string[] = [];
  const userVec: Float64Array[] = [];
  const userBias = new Float64Array(nUsers);
  const userGenreCum: Float64Array[] = [];
  for (let u = 0; u < nUsers; u++) {
    userGender[u] = rng.next() < 0.7 ? 1 : 0;
    userAge[u] = Math.max(7, Math.min(73, Math.round(32 + 11 * rng.normal())));
    userOcc[u] =
      rng.next() < 0.2 ? ML100K_OCCUPATIONS.indexOf('student') : rng.int(ML100K_OCCUPATIONS.length);
    userZip.push(String(10000 + rng.int(89999)));
    const w = GENRE_WEIGHTS.map((x, g) => {
      const name = ML100K_GENRES[g] as string;
      let m = x;
      if (userGender[u] === 0 && FEMALE_BOOST.has(name)) m *= 3;
      if (userGender[u] === 1 && MALE_BOOST.has(name)) m *= 3;
      if ((userAge[u] as number) >= 45 && OLDER_BOOST.has(name)) m *= 3;
      return m;
    });
    const favCum = cumulative(w);
    const k = 1 + rng.int(3);
    const v = gaussianVector(rng, d, 0.15);
    for (let f = 0; f < k; f++) {
      const g = drawCumulative(favCum, rng);
      for (let z = 0; z < d; z++) v[z] = (v[z] as number) + (genreVec[g]![z] as number) / k;
    }
    userVec.push(unit(v));
    userBias[u] = 0.3 * rng.normal();
    // Genre pick odds: √(base frequency) × exp(6 · cos(user, genre)).
    userGenreCum.push(
      cumulative(
        GENRE_WEIGHTS.map((x, g) => {
          let dot = 0;
          for (let z = 0; z < d; z++) dot += (v[z] as number) * (genreVec[g]![z] as number);
          return x > 0 && genreItems[g]!.length > 0 ? Math.sqrt(x) * Math.exp(6 * dot) : 0;
        }),
      ),
    );
  }

  const titles = Array.from({ length: nItems }, (_, i) => {
    const a = ADJECTIVES[rng.int(ADJECTIVES.length)] as string;
    const b = NOUNS[rng.int(NOUNS.length)] as string;
    const base = i % 17 === 5 ? `${b}, The` : i % 23 === 7 ? `"${a}" ${b}` : `${a} ${b} ${i + 1}`;
    return `${base} (${itemYear[i]})`;
  });
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const file = (name: string): string => {
    const p = join(dir, name);
    files.push(p);
    return p;
  };

  // Ratings. ml-100k's u.data is unordered, so its rows are kept and shuffled (small sizes); ratings.dat and
  // ratings.csv are grouped by user and streamed to disk as they are drawn, so memory stays O(users + items)
  // even at ml-25m scale.
  const counts = new Int32Array(nUsers);
  let total = 0;
  for (let u = 0; u < nUsers; u++) {
    const extra = -Math.log(1 - rng.next()) * (o.meanRatingsPerUser - o.minRatingsPerUser);
    counts[u] = Math.min(Math.floor(nItems / 2), o.minRatingsPerUser + Math.floor(extra));
    total += counts[u] as number;
  }
  const keep = o.format === '100k';
  const rUser = new Int32Array(keep ? total : 0);
  const rItem = new Int32Array(keep ? total : 0);
  const rValue = new Float32Array(keep ? total : 0);
  const rTime = new Float64Array(keep ? total : 0);
  const halfStars = o.format === 'csv';
  const ratingsOut = keep
    ? undefined
    : await textWriter(file(halfStars ? 'ratings.csv' : 'ratings.dat'), 'utf8');
  const tagsOut = halfStars ? await textWriter(file('tags.csv'), 'utf8') : undefined;
  if (halfStars) ratingsOut!.line('userId,movieId,rating,timestamp');
  tagsOut?.line('userId,movieId,tag,timestamp');
  const seen = new Int32Array(nItems).fill(-1);
  let n = 0;
  for (let u = 0; u < nUsers; u++) {
    const want = counts[u] as number;
    let got = 0;
    let attempts = 0;
    let t = RATING_START + Math.floor(rng.next() * SPAN_SECONDS * 0.8);
    const uv = userVec[u] as Float64Array;
    while (got < want) {
      attempts++;
      let i: number;
      if (attempts < 2 * want && rng.next() < o.genrePickShare) {
        const g = drawCumulative(userGenreCum[u] as Float64Array, rng);
        i = genreItems[g]![drawCumulative(genreItemCum[g] as Float64Array, rng)] as number;
      } else if (attempts < 4 * want) {
        i = drawCumulative(popCum, rng);
      } else {
        i = rng.int(nItems);
      }
      if (seen[i] === u) continue;
      seen[i] = u;
      let dot = 0;
      const iv = itemVec[i] as Float64Array;
      for (let z = 0; z < d; z++) dot += (uv[z] as number) * (iv[z] as number);
      const score =
        3.5 + (userBias[u] as number) + (itemBias[i] as number) + 1.5 * dot + o.noise * rng.normal();
      const r = Math.min(
        5,
        Math.max(halfStars ? 0.5 : 1, halfStars ? Math.round(score * 2) / 2 : Math.round(score)),
      );
      t += rng.next() < 0.85 ? 1 + rng.int(600) : 3600 + rng.int(20 * 86400);
      if (keep) {
        rUser[n] = u;
        rItem[n] = i;
        rValue[n] = r;
        rTime[n] = t;
      } else if (halfStars) {
        ratingsOut!.line(`${u + 1},${i + 1},${r % 1 === 0 ? `${r}.0` : r},${t}`);
        if (n % 7 === 0) {
          const words = itemGenres[i]!.flatMap((g) => TAG_WORDS[ML100K_GENRES[g] as string] ?? []);
          if (words.length > 0)
            tagsOut!.line(`${u + 1},${i + 1},${csvQuote(words[rng.int(words.length)] as string)},${t}`);
        }
      } else {
        ratingsOut!.line(`${u + 1}::${i + 1}::${r}::${t}`);
      }
      n++;
      got++;
    }
    if (ratingsOut?.full) await ratingsOut.drain();
    if (tagsOut?.full) await tagsOut.drain();
  }
  await ratingsOut?.close();
  await tagsOut?.close();

  if (o.format === '100k') {
    const order = new Int32Array(total);
    for (let k = 0; k < total; k++) order[k] = k;
    for (let k = total - 1; k > 0; k--) {
      const j = rng.int(k + 1);
      const tmp = order[k] as number;
      order[k] = order[j] as number;
      order[j] = tmp;
    }
    const data = await textWriter(file('u.data'), 'utf8');
    for (const k of order) {
      data.line(`${rUser[k]! + 1}\t${rItem[k]! + 1}\t${rValue[k]}\t${rTime[k]}`);
      if (data.full) await data.drain();
    }
    await data.close();
    const item = await textWriter(file('u.item'), 'latin1');
    for (let i = 0; i < nItems; i++) {
      const flags = Array.from({ length: G }, (_, g) => (itemGenres[i]!.includes(g) ? '1' : '0'));
      const date = `${String(1 + ((i * 7) % 28)).padStart(2, '0')}-${MONTHS[i % 12]}-${itemYear[i]}`;
      item.line(
        `${i + 1}|${titles[i]}|${date}||http://example.invalid/synthetic/${i + 1}|${flags.join('|')}`,
      );
    }
    await item.close();
    const user = await textWriter(file('u.user'), 'utf8');
    for (let u = 0; u < nUsers; u++) {
      user.line(
        `${u + 1}|${userAge[u]}|${userGender[u] ? 'M' : 'F'}|${ML100K_OCCUPATIONS[userOcc[u] as number]}|${userZip[u]}`,
      );
    }
    await user.close();
    const genre = await textWriter(file('u.genre'), 'utf8');
    for (let g = 0; g < G; g++) genre.line(`${ML100K_GENRES[g]}|${g}`);
    genre.line('');
    await genre.close();
    const occ = await textWriter(file('u.occupation'), 'utf8');
    for (const name of ML100K_OCCUPATIONS) occ.line(name);
    await occ.close();
    const info = await textWriter(file('u.info'), 'utf8');
    info.line(`${nUsers} users\n${nItems} items\n${total} ratings`);
    await info.close();
  } else if (o.format === '1m') {
    const movies = await textWriter(file('movies.dat'), 'latin1');
    for (let i = 0; i < nItems; i++) {
      movies.line(`${i + 1}::${titles[i]}::${itemGenres[i]!.map((g) => ML100K_GENRES[g]).join('|')}`);
    }
    await movies.close();
    const users = await textWriter(file('users.dat'), 'utf8');
    for (let u = 0; u < nUsers; u++) {
      const age = [...ML1M_AGE_GROUPS].reverse().find((a) => (userAge[u] as number) >= a) ?? 1;
      users.line(
        `${u + 1}::${userGender[u] ? 'M' : 'F'}::${age}::${(userOcc[u] as number) % 21}::${userZip[u]}`,
      );
    }
    await users.close();
  } else {
    const movies = await textWriter(file('movies.csv'), 'utf8');
    movies.line('movieId,title,genres');
    for (let i = 0; i < nItems; i++) {
      const genres = itemGenres[i]!.map((g) =>
        ML100K_GENRES[g] === "Children's" ? 'Children' : ML100K_GENRES[g],
      );
      movies.line(`${i + 1},${csvQuote(titles[i] as string)},${genres.join('|')}`);
    }
    await movies.close();
  }
  return { dir, format: o.format, users: nUsers, items: nItems, ratings: total, files };
}
