/** True when dist/server/main.mjs exists and no input is newer than it (or gone). */
export function serverBuildIsFresh(): boolean;
/** Builds dist/server/main.mjs now; answers its path. */
export function buildServer(): Promise<string>;
/** dist/server/main.mjs, built first when missing or older than its sources. */
export function ensureServerBuild(): Promise<string>;
