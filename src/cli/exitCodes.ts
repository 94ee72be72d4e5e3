// The exit codes every `whereto` command returns (DESIGN's CLI contract): 0 done, 1 bad input (a file
// that cannot be read, a model that does not fit the data), 2 bad usage (an unknown option, a missing
// argument). A second Ctrl-C during training quits at once with the shell's code for SIGINT.
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT (2), what a shell reports for a process ended by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;
