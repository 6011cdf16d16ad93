import { DataTypes } from 'sequelize';
import type { QueryInterface } from 'sequelize';
import type { RunnableMigration } from 'umzug';

export type StoreMigration = RunnableMigration<QueryInterface>;

/** MySQL/MariaDB: exact (binary) comparison of names, labels and keys, as on SQLite and PostgreSQL. */
export const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_bin' };

/** JSON columns: LONGTEXT on MySQL/MariaDB (TEXT stops at 64 KiB there), TEXT elsewhere. */
export const jsonText = (qi: QueryInterface) =>
  ['mysql', 'mariadb'].includes(qi.sequelize.getDialect()) ? DataTypes.TEXT('long') : DataTypes.TEXT;
