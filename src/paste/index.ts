export { classifyBuiltin, joinMount, parsePathExpression } from "./composites.js";
export {
  findSections,
  type LoadPasteOptions,
  loadPasteConfig,
  type PasteConfig,
  PasteError,
  type PasteSection,
  type PasteSectionKind,
  parseFactorySpec,
  parsePasteConfig,
} from "./config.js";
export { findPasteFiles } from "./find.js";
export { resolvePaste } from "./resolve.js";
export type {
  CompositeKind,
  FactorySpec,
  PasteApp,
  PasteFilter,
  PasteHooks,
  PastePipeline,
  PasteResolution,
  PasteStep,
} from "./types.js";
