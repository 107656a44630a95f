export * from './external-ids.js';
export * from './seen-items.js';
export * from './recommend.js';
export * from './score-new-user.js';
export * from './recommend-for-history.js';
export * from './similar-items.js';
