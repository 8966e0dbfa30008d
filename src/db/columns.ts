import type { ColumnType } from 'kysely';

/**
 * Column types shared by every feature's table interfaces: how a timestamp or a JSON column
 * reads and writes through Kysely. They live apart from schema.ts so that a feature's table
 * file and the composed DB type never import each other.
 */

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T = unknown> = ColumnType<T, string | T, string | T>;
export type JsonWithDefault<T = unknown> = ColumnType<T, string | T | undefined, string | T>;
