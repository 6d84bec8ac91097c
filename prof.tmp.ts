import { benchInsights } from './bench/insights.ts';
import { formatTable } from './bench/table.ts';
const rows = await benchInsights({ conversations: 20000, runs: 5 });
console.log(formatTable(rows.filter((r) => !r.name.includes('median'))));
