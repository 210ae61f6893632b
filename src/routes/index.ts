export {
  COLLECTION_ACTIONS,
  callMethod,
  KwArgs,
  kw,
  Mapper,
  type MapperOptions,
  MEMBER_ACTIONS,
  PyError,
  type PyKwargs,
  RESOURCE_ID_REGEXP,
  type RouteEntry,
  SubMapper,
} from "./mapper.js";
export { type FormatSuffix, joinMount, toTemplate, type UrlTemplate } from "./path.js";
export { type PathPart, type PathVar, pathKeys } from "./route.js";
