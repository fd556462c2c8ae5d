// setupFiles entry of the integration and pglite projects: closes what the harness opened.
import { afterAll } from 'vitest';
import { runCleanup } from './cleanup.js';

afterAll(runCleanup);
