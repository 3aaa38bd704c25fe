/** CSDL conformance tooling: load Microsoft Graph's v1.0 metadata, resolve URL paths, validate payloads. */
export { buildCsdlModel, loadGraphCsdl, CsdlLoadError, GRAPH_V1_CSDL_PATH } from './load.js';
export { CsdlModel } from './model.js';
export type {
  TypeRef,
  CsdlProperty,
  CsdlNavigationProperty,
  CsdlStructuredType,
  CsdlEnumType,
  CsdlOperation,
  CsdlParameter,
} from './model.js';
export { resolveGraphPath, allowedMethods, findBoundOperation } from './path.js';
export type {
  ResolvedGraphPath,
  GraphPathError,
  GraphPathErrorCode,
  ResolvedSegment,
  ResolveOptions,
  ResultKind,
} from './path.js';
export { validateEntity, validateResponseBody } from './validate.js';
export { checkContextUrl } from './context.js';
export type { ValidationIssue, ValidateOptions } from './validate.js';
export { parseXml, decodeXmlEntities, XmlSyntaxError } from './xml.js';
export type { XmlHandler } from './xml.js';
