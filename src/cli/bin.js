#!/usr/bin/env node
// Entry point installed as `ektp-bridge`. The daemon is TypeScript run through tsx (a runtime
// dependency), so the same sources run in development, tests and on branch PCs; no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
