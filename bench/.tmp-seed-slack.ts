import { openDatabase } from '../src/db/open-database.ts';
import { runMigrations } from '../src/db/run-migrations.ts';
import { seedDemoSchoolIfEmpty } from '../src/demo/seed-demo-school.ts';
const d = await openDatabase({ kind: 'pglite', dataDir: null });
await runMigrations(d);
const t1 = performance.now();
await seedDemoSchoolIfEmpty(d.db);
console.log('seed1000', Math.round(performance.now() - t1));
await d.close();
