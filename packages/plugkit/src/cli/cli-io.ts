/** Where a CLI command writes and how it reads a password; injectable for tests. */
export interface CliIo {
  /** Results: what a script captures. */
  out: (line: string) => void;
  /** Messages for the person at the terminal. */
  err: (line: string) => void;
  /** Reads a password: from stdin with --password-stdin (or when piped), else by prompting. */
  readPassword: (prompt: string, fromStdin: boolean) => Promise<string>;
}
