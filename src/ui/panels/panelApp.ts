// The part of the app state (src/ui/state.svelte.ts, owned by the app shell) that the Model and
// Evaluate panels use, as a structural interface: the panels depend on these members only, so the
// shell's class satisfies it without importing anything from here.
import type { ModelFile, Track } from '../engine.ts';

export interface PanelApp {
  readonly loaded: {
    /** the loaded, prepared tracks ($state.raw in the shell) */
    readonly tracks: readonly Track[];
    /** the step `tracks` were resampled to, seconds (null before anything loaded) */
    readonly stepSeconds: number | null;
  };
  readonly model: {
    /** the active model file, or null while none is loaded */
    readonly file: ModelFile | null;
    /** where the active model came from (file name, "bundled default", "trained in the browser") */
    readonly name: string;
  };
  /** validates a model file's text and makes it the active model; '' or what is wrong (never throws) */
  installModelText(text: string, name: string): string;
  /** the status line's text */
  status: string;
}
