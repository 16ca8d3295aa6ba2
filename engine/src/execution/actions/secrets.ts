import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SecretResolver } from '../types.ts';

/**
 * Secrets by name: `INTELOPS_SECRET_<NAME>` in the environment, or a file named <NAME> in a secrets folder (one file
 * per secret, as Docker and Kubernetes mount them). The environment wins. Files are read again on every use, so a
 * rotated Kubernetes secret is picked up without a restart; every value ever seen is scrubbed by `redact()`.
 */

export const SECRET_ENV_PREFIX = 'INTELOPS_SECRET_';
export const SECRET_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]{0,127}$';
const NAME = new RegExp(SECRET_NAME_PATTERN);
/** Shorter values would blank out ordinary words in logs; such secrets are guessable anyway. */
const MIN_REDACTED_LENGTH = 4;
/** A secret file is a token or a URL, not a document. */
const MAX_FILE_BYTES = 64 * 1024;

/** A secret a step needs is not set: the message names it and where it was looked for, never a value. */
export class MissingSecret extends Error {
  override name = 'MissingSecret';
  readonly secret: string;

  constructor(secret: string, message: string) {
    super(message);
    this.secret = secret;
  }
}

export interface SecretSources {
  env: Readonly<Record<string, string | undefined>>;
  /** INTELOPS_SECRETS_DIR, when set. */
  dir?: string | undefined;
}

/** The environment variable that holds secret `name`: upper case, other characters as `_`. */
export function secretEnvVar(name: string): string {
  return SECRET_ENV_PREFIX + name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

export class SecretStore implements SecretResolver {
  readonly #env: SecretSources['env'];
  readonly #dir: string | undefined;
  /** Name → every value seen for it (a rotated file keeps the old one redacted too). */
  readonly #known = new Map<string, Set<string>>();

  constructor(sources: SecretSources) {
    this.#env = sources.env;
    this.#dir = sources.dir;
    for (const [variable, value] of Object.entries(sources.env)) {
      if (variable.startsWith(SECRET_ENV_PREFIX) && value !== undefined && value !== '') {
        this.#remember(variable.slice(SECRET_ENV_PREFIX.length), value);
      }
    }
    for (const name of this.#fileNames()) {
      const value = this.#readFile(name);
      if (value !== undefined) {
        this.#remember(name, value);
      }
    }
  }

  /** The names that have a value, for listing in the UI (never the values). */
  names(): string[] {
    return [...this.#known.keys()].sort();
  }

  get(name: string): string {
    if (!NAME.test(name)) {
      throw new MissingSecret(
        name,
        `secret name ${JSON.stringify(name.slice(0, 60))} is not valid: letters, digits, _ . - (starting with a letter or _)`
      );
    }
    const fromEnv = this.#env[secretEnvVar(name)];
    const value = fromEnv !== undefined && fromEnv !== '' ? fromEnv : this.#readFile(name);
    if (value === undefined) {
      const folder =
        this.#dir === undefined
          ? 'a file named it in INTELOPS_SECRETS_DIR (not set)'
          : `a file ${path.join(this.#dir, name)}`;
      throw new MissingSecret(name, `secret ${name} is not set: set ${secretEnvVar(name)} or write ${folder}`);
    }
    this.#remember(name, value);
    return value;
  }

  redact(text: string): string {
    const values = [...this.#known].flatMap(([name, seen]) =>
      [...seen].flatMap((value) => forms(value).map((form) => ({ name, form })))
    );
    // Longest first, so a secret that contains another is replaced whole.
    values.sort((a, b) => b.form.length - a.form.length);
    let result = text;
    for (const { name, form } of values) {
      if (form.length >= MIN_REDACTED_LENGTH && result.includes(form)) {
        result = result.split(form).join(`[secret ${name}]`);
      }
    }
    return result;
  }

  #remember(name: string, value: string): void {
    const seen = this.#known.get(name) ?? new Set<string>();
    seen.add(value);
    this.#known.set(name, seen);
  }

  #fileNames(): string[] {
    if (this.#dir === undefined) {
      return [];
    }
    try {
      // Kubernetes keeps `..data` and timestamped folders beside the per-key links: names only.
      return readdirSync(this.#dir).filter((name) => NAME.test(name));
    } catch {
      return [];
    }
  }

  #readFile(name: string): string | undefined {
    if (this.#dir === undefined || !NAME.test(name)) {
      return undefined;
    }
    const file = path.join(this.#dir, name);
    try {
      if (!statSync(file).isFile() || statSync(file).size > MAX_FILE_BYTES) {
        return undefined;
      }
      // `echo value > file` leaves a newline that is not part of the secret.
      const value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      return value === '' ? undefined : value;
    } catch {
      return undefined;
    }
  }
}

/** The ways a value shows up in text: as is, URL-encoded, JSON-escaped. */
function forms(value: string): string[] {
  return [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])];
}
