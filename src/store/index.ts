export { openStore } from './openStore.js';
export type { OpenStoreOptions } from './openStore.js';
export { migrateStore, migrationNames } from './migrator.js';
export { parseDbUrl, redactUrl } from './connect.js';
