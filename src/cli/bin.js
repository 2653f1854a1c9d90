#!/usr/bin/env node
// Development entry point (`npm start`, the tests): runs the TypeScript sources through tsx, a
// development dependency. The installed command runs the compiled daemon instead (`npm run build`
// -> dist/app/main.mjs, see scripts/build.mjs): no tsx and no transpiling there.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
