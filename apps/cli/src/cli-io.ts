/**
 * Where the CLI writes: results to `out` (stdout), progress and errors to `err` (stderr). Commands take a
 * CliIo so tests can run them in-process and read what they printed.
 */
export interface CliIo {
  /** One line of results (stdout). */
  out(line: string): void;
  /** One line of diagnostics (stderr). */
  err(line: string): void;
  /** The stream progress bars draw on, when it is an interactive terminal; undefined draws no bars. */
  readonly progressStream: NodeJS.WriteStream | undefined;
  /** Stops long work (data loading, training, evaluation) between batches, e.g. on Ctrl-C. */
  readonly signal?: AbortSignal;
}

/** The process's stdout/stderr; progress bars only when stderr is a terminal. */
export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
  };
}

/** A CliIo that records lines (for tests). */
export interface RecordingIo extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
}

/** Creates a {@link RecordingIo}. */
export function recordingIo(): RecordingIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    progressStream: undefined,
  };
}
