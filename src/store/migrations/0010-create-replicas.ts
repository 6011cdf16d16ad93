/**
 * Replica liveness: each running scheduler records a heartbeat (its id, host, pid, version, when
 * it started, when it was last seen by the database's clock, its heartbeat interval), so the
 * others can tell it is alive, overdue or gone. Firings say which replica published them
 * (`published_by`; `replica_id` is the replica that holds the claim, and changes on takeover).
 */
import { DataTypes } from 'sequelize';
import type { StoreMigration } from './StoreMigration.js';
import { tableOptions } from './StoreMigration.js';

export const m0010CreateReplicas: StoreMigration = {
  name: '0010-create-replicas',
  async up({ context: qi }) {
    await qi.createTable(
      'replicas',
      {
        id: { type: DataTypes.STRING(255), primaryKey: true, allowNull: false },
        host: { type: DataTypes.STRING(255), allowNull: false },
        pid: { type: DataTypes.INTEGER, allowNull: false },
        version: { type: DataTypes.STRING(64), allowNull: false },
        started_at: { type: DataTypes.BIGINT, allowNull: false },
        last_seen_at: { type: DataTypes.BIGINT, allowNull: false },
        interval_ms: { type: DataTypes.INTEGER, allowNull: false },
        stopped_at: { type: DataTypes.BIGINT, allowNull: true },
      },
      tableOptions,
    );
    await qi.addColumn('firings', 'published_by', { type: DataTypes.STRING(255), allowNull: true });
    // Takeover looks up the claims a replica holds.
    await qi.addIndex('firings', ['status', 'replica_id'], { name: 'firings_status_replica' });
  },
  async down({ context: qi }) {
    await qi.removeIndex('firings', 'firings_status_replica');
    await qi.removeColumn('firings', 'published_by');
    await qi.dropTable('replicas');
  },
};
