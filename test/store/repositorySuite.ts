/**
 * The store's behaviour, as one suite run against every dialect (sqliteMemory.test.ts,
 * sqliteFile.test.ts, postgres.test.ts, mariadb.test.ts, mysql.test.ts). The parts live in suite/.
 */
import type { TestDialect } from '../helpers/testDb.js';
import { useStore } from './suite/context.js';
import { firingTests } from './suite/firingTests.js';
import { overrideTests } from './suite/overrideTests.js';
import { ruleTests } from './suite/ruleTests.js';
import { storedRowTests } from './suite/storedRowTests.js';

export function repositorySuite(dialect: TestDialect): void {
  useStore(dialect);
  ruleTests(dialect);
  overrideTests(dialect);
  firingTests(dialect);
  storedRowTests(dialect);
}
