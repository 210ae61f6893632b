import type { AnalyzeOptions } from "../analyze.js";
import type { DiagnosticSink, SourceRef } from "../model/diagnostics.js";
import type { Endpoint, TraceStep } from "../model/map.js";
import type { PasteFilter } from "../paste/types.js";
import type { Evaluator } from "../python/evaluator.js";
import type { Value } from "../python/values.js";
import type { CallChains } from "../rpc/chains.js";
import type { EntryPointLookup } from "../stevedore/extensionManager.js";

/** What a recipe is told about one paste app it may map. */
export interface AppContext {
  name: string;
  mount: string;
  /** `module:Obj.attr` from paste.app_factory (or the equivalent `use = call:`). */
  factorySpec: string;
  /** The factory, evaluated: a function, a bound classmethod, a class … or Unknown. */
  factory: Value;
  localConf: Record<string, string>;
  source: SourceRef;
  /** How paste reached this app, from the root: the first steps of every endpoint's trace. */
  pasteTrace: TraceStep[];
  /**
   * Set by a recipe when the server builds this app itself instead of loading its paste section
   * (Neutron's pecan app in Mitaka–Ocata): that step replaces the paste steps, and the app has
   * no pipeline.
   */
  startedBy?: TraceStep;
  ev: Evaluator;
  diagnostics: DiagnosticSink;
  /** Entry points of a group over every distribution on the path (plugins, extensions). */
  entryPoints: EntryPointLookup;
  /** What the user asked for: configuration file, Neutron plugin choices. */
  options: AnalyzeOptions;
  /** REST handler → service API → RPC hops, from the RPC map. */
  chains: CallChains;
  /** The paste filters on the app's chains, with their factories and sections. */
  filters: PasteFilter[];
}

export type EndpointDraft = Omit<Endpoint, "app" | "paste" | "mount" | "trace"> & {
  trace: TraceStep[];
};

/**
 * One mechanism by which OpenStack turns URLs into code (Knip-style plugin): data first,
 * then when it applies, then what it yields. Recipes ask the evaluator questions; they never
 * walk syntax trees themselves.
 */
export interface Recipe {
  /** Short id shown in the map, e.g. "wsgi-router". */
  name: string;
  title: string;
  /** Which projects use it, for the docs. */
  usedBy: string[];
  applies(ctx: AppContext): boolean;
  map(ctx: AppContext): EndpointDraft[];
}
