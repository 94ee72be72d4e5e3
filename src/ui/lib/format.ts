// Number formatting for the sidebar: durations, distances, counts. Pure.

/** "42 s", "7 min 05 s", "2 h 03 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** "38 m", "1.24 km". */
export function formatMeters(m: number): string {
  if (!Number.isFinite(m)) return '–';
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(2)} km`;
}

/** "60,574". */
export function formatCount(n: number): string {
  return n.toLocaleString('en');
}
