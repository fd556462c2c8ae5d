import { createSpotlight } from '@mantine/spotlight';

/** The command palette's own Spotlight store, so other code can ask whether it is open. */
export const [paletteStore, palette] = createSpotlight();
