import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError, Option } from "commander";
import { type AnalyzeOptions, analyzeWithStats, InputError, type RunStats } from "../analyze.js";
import { PasteError } from "../paste/config.js";
import { ProjectError } from "../project/detect.js";
import { findEndpoints, writeExplain } from "../writers/explain.js";
import { writeJson } from "../writers/json.js";
import { writeRpc, writeServices } from "../writers/services.js";
import { writeTable } from "../writers/table.js";

/** Exit codes, documented in the README and `--help`. */
export const EXIT = { ok: 0, diagnostics: 1, badInput: 2, internal: 3 } as const;

/** From package.json, beside dist/ for the bundled bin (dist/apimap.js) or dist/src/cli/main.js. */
const version = (() => {
  for (const up of ["../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as {
        name?: string;
        version: string;
      };
      if (pkg.name === "apimap") return pkg.version;
    } catch {}
  }
  return "0.0.0";
})();

function program(): Command {
  const cli = new Command("apimap")
    .description(
      "Map every API of an OpenStack service to the Python code that implements it, statically.",
    )
    .version(version)
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 diagnostics were reported and --strict was given, 2 bad input, 3 internal error.",
    )
    // Set before adding commands: subcommands inherit both, so every usage error reaches exitCodeFor.
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  withInputOptions(
    cli
      .command("map")
      .description(
        "map the REST API of the project found in ROOT (a checkout, an unpacked release, or site-packages)",
      )
      .argument("<roots...>", "source roots searched together, like PYTHONPATH"),
  )
    .addOption(
      new Option("--format <format>", "output format").choices(["table", "json"]).default("table"),
    )
    .option("--strict", "exit 1 when any warning or error diagnostic was reported")
    .action((roots: string[], opts: InputOptions & { format: string; strict?: boolean }) => {
      const start = performance.now();
      const { map, stats } = analyzeWithStats(roots, analyzeOptions(opts));
      process.stdout.write(opts.format === "json" ? writeJson(map) : writeTable(map));
      if (process.env.APIMAP_STATS) reportStats(start, stats);
      if (opts.strict && map.diagnostics.some((d) => d.level !== "info")) {
        process.exitCode = EXIT.diagnostics;
      }
    });

  withInputOptions(
    cli
      .command("explain")
      .description(
        "show how apimap derived the endpoints a request reaches: paste, route, controller, handler",
      )
      .argument("<method>", "HTTP method, e.g. POST")
      .argument("<path>", "a path as served, e.g. /v2/images or /v2/images/42")
      .argument("<roots...>", "source roots, as for map"),
  )
    .option("--action <name>", "only the body action with this name (POST …/action)")
    .action(
      (method: string, path: string, roots: string[], opts: InputOptions & { action?: string }) => {
        const { map } = analyzeWithStats(roots, analyzeOptions(opts));
        const found = findEndpoints(map, method, path, opts.action);
        if (found.length === 0) {
          throw new InputError(
            `no endpoint of ${map.project.name} answers ${method.toUpperCase()} ${path}`,
          );
        }
        process.stdout.write(writeExplain(found));
      },
    );
  for (const [name, description, write] of [
    [
      "services",
      "what each binary of the project is: wsgi (its paste app), rpc (manager, topic), or other",
      writeServices,
    ],
    [
      "rpc",
      "every remote method of the RPC client classes, call or cast, and the manager method it reaches",
      writeRpc,
    ],
  ] as const) {
    withInputOptions(
      cli.command(name).description(description).argument("<roots...>", "source roots, as for map"),
    )
      .addOption(
        new Option("--format <format>", "output format")
          .choices(["table", "json"])
          .default("table"),
      )
      .action((roots: string[], opts: InputOptions & { format: string }) => {
        const { map } = analyzeWithStats(roots, analyzeOptions(opts));
        const part = name === "services" ? map.services : map.rpc;
        process.stdout.write(
          opts.format === "json" ? `${JSON.stringify(part, null, 2)}\n` : write(map),
        );
      });
  }
  return cli;
}

/** What every command reads the tree with: which project, paste file, configuration, plugins. */
interface InputOptions {
  project?: string;
  paste?: string;
  config?: string;
  corePlugin?: string;
  servicePlugins?: string[];
  allPlugins?: boolean;
}

function withInputOptions(cmd: Command): Command {
  return cmd
    .option("--project <name>", "the distribution to map when a root holds several")
    .option("--paste <file>", "the api-paste.ini to use instead of the one found in the tree")
    .option(
      "--config <file>",
      "an oslo.config file (nova.conf …) whose settings replace option defaults",
    )
    .option("--core-plugin <name>", "neutron: the core plugin, by alias (ml2) or class path")
    .option(
      "--service-plugins <list>",
      "neutron: comma-separated service plugins (router,qos,…)",
      (v: string) =>
        v
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean),
    )
    .option("--all-plugins", "neutron: enable every service plugin the entry points list");
}

function analyzeOptions(opts: InputOptions): AnalyzeOptions {
  return {
    ...(opts.project ? { project: opts.project } : {}),
    ...(opts.paste ? { paste: opts.paste } : {}),
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.corePlugin ? { corePlugin: opts.corePlugin } : {}),
    ...(opts.servicePlugins ? { servicePlugins: opts.servicePlugins } : {}),
    ...(opts.allPlugins ? { allPlugins: true } : {}),
  };
}

/** For `npm run bench`: one JSON line on stderr (APIMAP_STATS=modules adds every parsed module). */
function reportStats(start: number, run: RunStats): void {
  const stats = {
    analysisMs: performance.now() - start,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    modulesParsed: run.modulesParsed,
    parseMs: run.parseMs,
    parsedChars: run.parsedChars,
    phases: Object.fromEntries(Object.entries(run.phases).map(([k, ms]) => [k, Math.round(ms)])),
    ...(process.env.APIMAP_STATS === "modules" ? { parsed: run.parsed } : {}),
  };
  process.stderr.write(`${JSON.stringify(stats)}\n`);
}

export function main(argv: string[]): void {
  const cli = program();
  try {
    cli.parse(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
  exitOnceWritten();
}

/**
 * Exit as soon as stdout and stderr have taken everything: a normal exit first tears down every
 * syntax tree and the heap, ~40 ms after a Nova map. Writes to pipes are asynchronous, so an
 * empty write's callback marks the point where the earlier ones are done.
 */
function exitOnceWritten(): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit();
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

function exitCodeFor(err: unknown): number {
  const code = (err as { code?: string }).code;
  // commander has already printed its own message (help, version, usage errors).
  if (typeof code === "string" && code.startsWith("commander.")) {
    return code === "commander.helpDisplayed" || code === "commander.version"
      ? EXIT.ok
      : EXIT.badInput;
  }
  if (
    err instanceof InputError ||
    err instanceof ProjectError ||
    err instanceof PasteError ||
    err instanceof InvalidArgumentError
  ) {
    process.stderr.write(`apimap: ${err.message}\n`);
    return EXIT.badInput;
  }
  process.stderr.write(
    `apimap: internal error: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  return EXIT.internal;
}

main(process.argv);
