/**
 * The time zone of a school that has not said otherwise. tutorbot is built for English schools,
 * so it is London's; the school table's column defaults to the same zone
 * (migrations/0001_core.sql, which stays as written: applied migrations never change). Code
 * that needs a fallback zone uses this constant rather than its own copy of the name.
 */
export const defaultTimeZone = 'Europe/London';
