// How layer components reach the Leaflet map: MapView puts a holder in Svelte context and fills
// it once its attachment has created the map. Layers render only after that, so `map` is set.
import { getContext, setContext } from 'svelte';
import type L from 'leaflet';

const key = Symbol('whereto-map');

export class MapHolder {
  map = $state.raw<L.Map | null>(null);
}

export function provideMap(): MapHolder {
  return setContext(key, new MapHolder());
}

/** The map, for a layer component rendered inside MapView. */
export function useMap(): L.Map {
  const holder = getContext<MapHolder | undefined>(key);
  if (!holder?.map) throw new Error('useMap() called outside MapView or before the map exists');
  return holder.map;
}
