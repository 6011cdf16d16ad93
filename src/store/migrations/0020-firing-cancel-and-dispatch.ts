/**
 * What became of a firing's RMF task after it was accepted: the cancellation asked when the
 * operator took the occurrence back (`cancel`), and what RMF's dispatcher did with the task
 * (`dispatch_state`: assigned to a fleet, failed to assign). Both JSON, null when none.
 */
import type { StoreMigration } from './StoreMigration.js';
import { jsonText } from './StoreMigration.js';

export const m0020FiringCancelAndDispatch: StoreMigration = {
  name: '0020-firing-cancel-and-dispatch',
  async up({ context: qi }) {
    await qi.addColumn('firings', 'cancel', { type: jsonText(qi), allowNull: true });
    await qi.addColumn('firings', 'dispatch_state', { type: jsonText(qi), allowNull: true });
  },
  async down({ context: qi }) {
    await qi.removeColumn('firings', 'dispatch_state');
    await qi.removeColumn('firings', 'cancel');
  },
};
