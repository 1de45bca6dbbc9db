// `npm start`: the demo in examples/demo, run from the built packages (packages/*/dist, which
// `npm start` builds first when stale). The demo is TypeScript; tsx loads it without a compile step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../examples/demo/main.ts');
process.exitCode = await main(process.argv.slice(2));
