/**
 * Typed errors of @ncf. Every error thrown by an @ncf package is an {@link NcfError}; subclasses say which
 * kind of problem it is, and messages say what was expected and where (file, line, field, id).
 */

/** Base class of every @ncf error. `code` is stable and machine-readable. */
export class NcfError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A requested compute backend cannot be loaded (message says how to install it). */
export class BackendUnavailableError extends NcfError {
  readonly backend: string;
  constructor(backend: string, message: string, options?: { cause?: unknown }) {
    super('BACKEND_UNAVAILABLE', message, options);
    this.backend = backend;
  }
}

/** A configuration value is missing, of the wrong type or out of range. */
export class ConfigError extends NcfError {
  readonly field: string | undefined;
  constructor(message: string, field?: string, options?: { cause?: unknown }) {
    super('CONFIG', message, options);
    this.field = field;
  }
}

/** Input data is malformed. `file` and `line` (1-based) say where, when known. */
export class DataError extends NcfError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  constructor(message: string, where: { file?: string; line?: number } = {}, options?: { cause?: unknown }) {
    const prefix = where.file ? `${where.file}${where.line !== undefined ? `:${where.line}` : ''}: ` : '';
    super('DATA', prefix + message, options);
    this.file = where.file;
    this.line = where.line;
  }
}

/** A model file (model.json, weights) is missing, truncated, corrupted, of a wrong kind or a newer format. */
export class ModelFileError extends NcfError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('MODEL_FILE', `${file}: ${message}`, options);
    this.file = file;
  }
}

/** An external user or item id that the model or dataset does not know. */
export class UnknownIdError extends NcfError {
  readonly id: string | number;
  readonly kind: 'user' | 'item';
  constructor(kind: 'user' | 'item', id: string | number) {
    super('UNKNOWN_ID', `unknown ${kind} id ${JSON.stringify(id)}`);
    this.kind = kind;
    this.id = id;
  }
}

/** A model kind that is not in the registry. */
export class UnknownModelKindError extends NcfError {
  readonly kind: string;
  constructor(kind: string, known: readonly string[]) {
    super(
      'UNKNOWN_MODEL_KIND',
      `model kind '${kind}' is not registered (registered: ${known.length ? known.join(', ') : 'none'}); ` +
        `register its factory first, e.g. registerNcfModels() from @ncf/models-ncf`,
    );
    this.kind = kind;
  }
}

/** A long operation was stopped through its AbortSignal. */
export class AbortError extends NcfError {
  constructor(message = 'the operation was aborted') {
    super('ABORTED', message);
  }
}

/** A network download failed (HTTP status, timeout, checksum mismatch, truncated file). */
export class DownloadError extends NcfError {
  readonly url: string;
  constructor(url: string, message: string, options?: { cause?: unknown }) {
    super('DOWNLOAD', `${url}: ${message}`, options);
    this.url = url;
  }
}

/** Throws {@link AbortError} when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

/**
 * A model asked to score a user given only by history, when it can do neither history scoring
 * (`Recommender.scoreHistory`) nor fold-in (`Recommender.itemFactors`). `kind` names the model kind.
 */
export class HistoryScoringUnsupportedError extends NcfError {
  readonly kind: string;
  constructor(kind: string, detail = '') {
    super(
      'HISTORY_SCORING_UNSUPPORTED',
      `model kind '${kind}' cannot score a user given by history: it implements neither scoreHistory() ` +
        `(history-aware scoring) nor itemFactors() (dot-product fold-in)${detail ? `; ${detail}` : ''}`,
    );
    this.kind = kind;
  }
}
