/** Where a finding came from: a file (relative to its root where known) and a 1-based line. */
export interface SourceRef {
  file: string;
  line: number;
}

export type DiagnosticLevel = "error" | "warning" | "info";

/** Something apimap could not fully understand; the map still lists what is known. */
export interface Diagnostic {
  level: DiagnosticLevel;
  message: string;
  file?: string;
  line?: number;
}

/** Collects diagnostics during a run, de-duplicated, in the order found. */
export class DiagnosticSink {
  private readonly seen = new Set<string>();
  private muted = 0;
  readonly items: Diagnostic[] = [];

  /**
   * Run without reporting: for exploratory runs whose own findings are not the map's (running a
   * handler abstractly to see which plugin method it reaches).
   */
  quietly<T>(run: () => T): T {
    this.muted++;
    try {
      return run();
    } finally {
      this.muted--;
    }
  }

  add(level: DiagnosticLevel, message: string, where?: Partial<SourceRef>): void {
    if (this.muted > 0) return;
    const d: Diagnostic = { level, message };
    if (where?.file !== undefined) d.file = where.file;
    if (where?.line !== undefined) d.line = where.line;
    const key = `${level}\0${message}\0${d.file ?? ""}\0${d.line ?? ""}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(d);
  }

  warn(message: string, where?: Partial<SourceRef>): void {
    this.add("warning", message, where);
  }
}
