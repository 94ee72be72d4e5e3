// The map's settings: the tile URL template (persisted in localStorage) and the notice shown when
// tiles are off or fail. One of the state classes the app composes (state.svelte.ts); it holds no
// Leaflet objects (TileLayer pushes the URL into Leaflet and reports failures back).
import { checkTileUrl, defaultTileUrl, tileUrlStorageKey } from './lib/tileUrl.ts';

export class MapSettings {
  /** Tile URL template ('' = no tiles). */
  tileUrl = $state(defaultTileUrl);
  /** Set when tiles are off or fail to load; the map still works without them. */
  tileNotice = $state('');

  #storage: Storage | null;

  /** Starts from the URL saved in `storage` when it is still valid, else the default. */
  constructor(storage: Storage | null) {
    this.#storage = storage;
    const saved = storage?.getItem(tileUrlStorageKey);
    if (saved !== null && saved !== undefined && checkTileUrl(saved).ok) this.tileUrl = saved;
  }

  /** Validates and stores a tile URL template ('' = no tiles); returns the reason when rejected. */
  setTileUrl(input: string): string | null {
    const check = checkTileUrl(input);
    if (!check.ok) return check.reason;
    this.tileUrl = check.url;
    this.tileNotice = check.url ? '' : 'No map tiles: tracks are drawn on a blank background';
    this.#storage?.setItem(tileUrlStorageKey, check.url);
    return null;
  }
}
