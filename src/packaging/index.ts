export {
  parseEntryPointLine,
  parseEntryPointsTxt,
  parseEntryPointValue,
  type ReadOptions,
  readEntryPointsTxt,
} from "./entrypoints.js";
export { type CoreMetadata, parsePkgInfo, readDistInfo, readPkgInfo } from "./metadata.js";
export { readPyproject } from "./pyproject.js";
export { readSetupCfg } from "./setupcfg.js";
export { type EntryPoint, normalizeName, type PackageInfo, PackagingError } from "./types.js";
