import { watch, readdirSync, statSync, type FSWatcher } from "node:fs";
import { join } from "node:path";

/** A running watch; `close()` stops it. */
export interface TreeWatcher {
  close(): void;
}

interface FileState {
  mtimeMs: number;
  size: number;
  ino: number;
}

/**
 * Watches directories (recursively) and calls `onChange` with the paths that changed, however
 * an editor saves: in place, or by writing a new file and renaming it over the old one
 * (`sed -i`, "safe write"). Node's recursive `fs.watch` loses a file replaced that way, because
 * it watches the old inode; this watches each directory instead, and compares a snapshot of
 * every file's inode, size and mtime on each event, so only real changes are reported.
 *
 * @param include decides which files count
 * @param recursive whether subdirectories are watched too
 */
export function watchTree(
  roots: readonly string[],
  include: (path: string) => boolean,
  onChange: (paths: string[]) => void,
  { recursive = true }: { recursive?: boolean } = {},
): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  const files = new Map<string, FileState>();

  const scan = (dir: string, changed: string[]): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (!watchers.has(dir)) {
      try {
        const watcher = watch(dir, () => {
          rescan(dir);
        });
        watcher.on("error", () => {
          watcher.close();
          watchers.delete(dir);
        });
        watchers.set(dir, watcher);
      } catch {
        return;
      }
    }
    const present = new Set<string>();
    for (const entry of entries) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (recursive) scan(path, changed);
        continue;
      }
      if (!include(path)) continue;
      present.add(path);
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      const before = files.get(path);
      if (
        before === undefined ||
        before.mtimeMs !== stat.mtimeMs ||
        before.size !== stat.size ||
        before.ino !== stat.ino
      ) {
        files.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino });
        changed.push(path);
      }
    }
    for (const path of files.keys()) {
      if (isChild(dir, path) && !present.has(path)) {
        files.delete(path);
        changed.push(path);
      }
    }
    // Subdirectories that are gone stop being watched.
    for (const [watched, watcher] of watchers) {
      if (isChild(dir, watched) && !entries.some((e) => join(dir, e.name) === watched)) {
        watcher.close();
        watchers.delete(watched);
        for (const path of files.keys()) {
          if (path.startsWith(`${watched}/`)) {
            files.delete(path);
            changed.push(path);
          }
        }
      }
    }
  };

  const rescan = (dir: string): void => {
    const changed: string[] = [];
    scan(dir, changed);
    if (changed.length > 0) onChange(changed);
  };

  for (const root of roots) scan(root, []);
  return {
    close: () => {
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

/** True when `path` is directly inside `dir`. */
function isChild(dir: string, path: string): boolean {
  return path.startsWith(`${dir}/`) && !path.slice(dir.length + 1).includes("/");
}
