// The data module's public surface: reading files into Tracks and preparing them for the encoder.
export type { Track, RejectedRow, ReadOptions, ReadResult, FormatName } from './track.ts';
export { FORMAT_NAMES } from './track.ts';
export { ReadError } from './readError.ts';
export { readTracks, baseName } from './readTracks.ts';
export { parseTimestamp } from './parseTimestamp.ts';
export { timeZone, type TimeZone } from './timeZone.ts';
export { prepareTracks, type PrepareOptions, type CleanReport } from './prepareTracks.ts';
export { medianStepSeconds } from './medianStepSeconds.ts';
export { readSummary, type ReadSummary } from './readSummary.ts';
