#!/usr/bin/env node
// The project runs TypeScript through tsx with no build step, so the CLI does too.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/cli/main.ts', import.meta.url).href);
