// The one error a reader throws: the file yielded nothing usable. The message names the file and why.
// Row-level problems are never thrown; they become RejectedRow entries.

export class ReadError extends Error {
  readonly file: string;
  constructor(file: string, why: string) {
    super(`${file}: ${why}`);
    this.name = 'ReadError';
    this.file = file;
  }
}
