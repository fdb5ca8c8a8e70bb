// Converts (part of) an OpenAPI 3.1 document into Swagger 2.0, the only version Power Platform
// custom connectors import. Pure: the 3.1 document in, the 2.0 document out.

export type Json = string | number | boolean | null | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export interface Swagger2Options {
  /** The operations to keep, as in the 3.1 document: `{ method: "post", path: "/v1/messages" }`. */
  operations: ReadonlyArray<{ method: string; path: string }>;
  host: string;
  basePath?: string;
  schemes: string[];
  info?: JsonObject;
  /** New names for 3.1 security schemes (`LicenseHeaders` -> `LicenseKey`). */
  securityNames?: Record<string, string>;
  /**
   * Definitions that must accompany a 3.1 scheme in every requirement that uses it: a pair of
   * headers is one scheme in Herald's 3.1 document but two apiKey definitions in Swagger 2.0.
   */
  securityCompanions?: Record<string, Record<string, JsonObject>>;
  /**
   * The 3.1 schemes to keep; requirements naming any other are left out. A Power Platform custom
   * connector takes one authentication type per connector.
   */
  keepSecurity?: readonly string[];
}

export class Swagger2ConversionError extends Error {}

const SCHEMA_KEYWORDS = new Set([
  "$ref",
  "format",
  "title",
  "description",
  "default",
  "multipleOf",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxProperties",
  "minProperties",
  "required",
  "enum",
  "type",
  "items",
  "allOf",
  "properties",
  "additionalProperties",
  "discriminator",
  "readOnly",
  "example",
]);

const PARAMETER_KEYWORDS = [
  "type",
  "format",
  "items",
  "default",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "enum",
  "multipleOf",
];

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectAt(value: Json | undefined): JsonObject {
  return isObject(value) ? value : {};
}

const COMPONENT_SCHEMA = "#/components/schemas/";

/** A JSON Schema (2020-12 dialect, as OpenAPI 3.1 uses) as a Swagger 2.0 Schema Object. */
export function convertSchema(schema: Json | undefined): JsonObject {
  if (!isObject(schema)) return {};
  const ref = schema.$ref;
  if (typeof ref === "string") {
    if (!ref.startsWith(COMPONENT_SCHEMA)) throw new Swagger2ConversionError(`unsupported $ref ${ref}`);
    // Swagger 2.0 ignores everything beside a $ref.
    return { $ref: `#/definitions/${ref.slice(COMPONENT_SCHEMA.length)}` };
  }

  let source: JsonObject = schema;
  let nullable = schema.nullable === true;
  // anyOf/oneOf with "null" is how 3.1 spells nullable; a real union has no 2.0 equivalent.
  for (const key of ["anyOf", "oneOf"] as const) {
    const members = source[key];
    if (!Array.isArray(members)) continue;
    const nonNull = members.filter((m) => !(isObject(m) && m.type === "null"));
    if (nonNull.length < members.length) nullable = true;
    const { [key]: _dropped, ...rest } = source;
    const only = nonNull.length === 1 ? nonNull[0] : undefined;
    source = isObject(only) ? { ...rest, ...only } : rest;
  }
  if (typeof source.$ref === "string") {
    const converted = convertSchema({ $ref: source.$ref });
    return nullable ? { ...converted, "x-nullable": true } : converted;
  }

  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith("x-")) out[key] = value;
    else if (SCHEMA_KEYWORDS.has(key)) out[key] = value;
  }

  if (Array.isArray(source.type)) {
    const types = source.type.filter((t): t is string => typeof t === "string" && t !== "null");
    if (types.length < source.type.length) nullable = true;
    if (types.length === 1 && types[0] !== undefined) out.type = types[0];
    else delete out.type;
  }
  if ("const" in source && source.const !== undefined) {
    out.enum = [source.const];
    if (out.type === undefined && source.const !== null) out.type = typeof source.const;
  }
  if (Array.isArray(source.enum) && source.enum.includes(null)) {
    nullable = true;
    out.enum = source.enum.filter((v) => v !== null);
  }
  if (Array.isArray(source.examples) && source.examples.length > 0 && out.example === undefined) {
    const [first] = source.examples;
    if (first !== undefined) out.example = first;
  }
  for (const [bound, flag] of [
    ["minimum", "exclusiveMinimum"],
    ["maximum", "exclusiveMaximum"],
  ] as const) {
    const exclusive = source[flag];
    if (typeof exclusive === "number") {
      out[bound] = exclusive;
      out[flag] = true;
    }
  }
  if (isObject(source.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(source.properties).map(([name, s]) => [name, convertSchema(s)]),
    );
  }
  if (source.items !== undefined) {
    out.items = convertSchema(Array.isArray(source.items) ? source.items[0] : source.items);
  }
  if (isObject(source.additionalProperties)) {
    out.additionalProperties = convertSchema(source.additionalProperties);
  }
  if (Array.isArray(source.allOf)) out.allOf = source.allOf.map((s) => convertSchema(s));
  // 3.x: {propertyName, mapping}; 2.0: the property name alone.
  if (isObject(source.discriminator)) {
    const property = source.discriminator.propertyName;
    if (typeof property === "string") out.discriminator = property;
    else delete out.discriminator;
  }
  if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
  if (nullable) out["x-nullable"] = true;
  return out;
}

function convertParameter(parameter: Json): JsonObject {
  if (!isObject(parameter)) throw new Swagger2ConversionError("a parameter is not an object");
  if (typeof parameter.$ref === "string") {
    throw new Swagger2ConversionError(`parameter references are not supported (${parameter.$ref})`);
  }
  const location = parameter.in;
  if (location !== "query" && location !== "header" && location !== "path") {
    throw new Swagger2ConversionError(
      `parameter ${String(parameter.name)} in ${String(location)} is not supported`,
    );
  }
  const schema = convertSchema(parameter.schema);
  if (schema.$ref !== undefined) {
    throw new Swagger2ConversionError(`parameter ${String(parameter.name)} refers to a schema`);
  }
  const out: JsonObject = {
    name: parameter.name ?? "",
    in: location,
    required: location === "path" ? true : parameter.required === true,
  };
  const description = parameter.description ?? schema.description;
  if (typeof description === "string") out.description = description;
  for (const key of PARAMETER_KEYWORDS) {
    const value = schema[key];
    if (value !== undefined) out[key] = value;
  }
  if (out.type === undefined) out.type = "string";
  return out;
}

function jsonSchemaOf(content: Json | undefined): Json | undefined {
  const media = objectAt(content)["application/json"];
  return isObject(media) ? media.schema : undefined;
}

function collectRefs(value: Json | undefined, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, into);
  } else if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string" && v.startsWith("#/definitions/")) {
        into.add(v.slice("#/definitions/".length));
      } else collectRefs(v, into);
    }
  }
}

export function toSwagger2(doc: JsonObject, options: Swagger2Options): JsonObject {
  if (typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.")) {
    throw new Swagger2ConversionError("the input is not an OpenAPI 3 document");
  }
  const components = objectAt(doc.components);
  const schemes31 = objectAt(components.securitySchemes);
  const names = options.securityNames ?? {};
  const companions = options.securityCompanions ?? {};
  const securityDefinitions: JsonObject = {};
  const paths: JsonObject = {};

  const convertRequirement = (requirement: Json): JsonObject => {
    const out: JsonObject = {};
    for (const scheme of Object.keys(objectAt(requirement))) {
      const definition = convertSecurityScheme(scheme, objectAt(schemes31[scheme]));
      const name = names[scheme] ?? scheme;
      securityDefinitions[name] = definition;
      out[name] = [];
      for (const [companion, companionDefinition] of Object.entries(companions[scheme] ?? {})) {
        securityDefinitions[companion] = companionDefinition;
        out[companion] = [];
      }
    }
    return out;
  };

  for (const { method, path } of options.operations) {
    const operation = objectAt(doc.paths)[path];
    const source = isObject(operation) ? operation[method] : undefined;
    if (!isObject(source))
      throw new Swagger2ConversionError(`${method.toUpperCase()} ${path} is not in the document`);
    const parameters: JsonObject[] = (Array.isArray(source.parameters) ? source.parameters : []).map(
      convertParameter,
    );
    const requestBody = objectAt(source.requestBody);
    const bodySchema = jsonSchemaOf(requestBody.content);
    if (bodySchema !== undefined) {
      parameters.push({
        name: "body",
        in: "body",
        required: requestBody.required === true,
        ...(typeof requestBody.description === "string" ? { description: requestBody.description } : {}),
        schema: convertSchema(bodySchema),
      });
    }
    const responses: JsonObject = {};
    for (const [status, response] of Object.entries(objectAt(source.responses))) {
      const r = objectAt(response);
      const schema = jsonSchemaOf(r.content);
      responses[status] = {
        description: typeof r.description === "string" ? r.description : "",
        ...(schema === undefined ? {} : { schema: convertSchema(schema) }),
      };
    }
    const converted: JsonObject = {};
    for (const key of ["operationId", "summary", "description", "tags", "deprecated"]) {
      const value = source[key];
      if (value !== undefined) converted[key] = value;
    }
    if (bodySchema !== undefined) converted.consumes = ["application/json"];
    converted.produces = ["application/json"];
    converted.parameters = parameters;
    converted.responses = responses;
    if (Array.isArray(source.security)) {
      const keep = options.keepSecurity;
      const kept = keep
        ? source.security.filter((r) => Object.keys(objectAt(r)).every((scheme) => keep.includes(scheme)))
        : source.security;
      converted.security = kept.map(convertRequirement);
    }
    const existing = paths[path];
    paths[path] = { ...(isObject(existing) ? existing : {}), [method]: converted };
  }

  // Only the schemas the kept operations reach, following references transitively.
  const sourceSchemas = objectAt(components.schemas);
  const definitions: JsonObject = {};
  const pending = new Set<string>();
  collectRefs(paths, pending);
  while (pending.size > 0) {
    const [name] = pending;
    if (name === undefined) break;
    pending.delete(name);
    if (name in definitions) continue;
    const schema = sourceSchemas[name];
    if (schema === undefined)
      throw new Swagger2ConversionError(`schema ${name} is referenced but not defined`);
    const converted = convertSchema(schema);
    definitions[name] = converted;
    const refs = new Set<string>();
    collectRefs(converted, refs);
    for (const ref of refs) if (!(ref in definitions)) pending.add(ref);
  }

  const info = objectAt(doc.info);
  return {
    swagger: "2.0",
    info: {
      title: info.title ?? "API",
      version: info.version ?? "1.0.0",
      ...(typeof info.description === "string" ? { description: info.description } : {}),
      // 2.0 has no SPDX identifier: the licence keeps its name (and URL, if any).
      ...(isObject(info.license) && typeof info.license.name === "string"
        ? {
            license: {
              name: info.license.name,
              ...(typeof info.license.url === "string" ? { url: info.license.url } : {}),
            },
          }
        : {}),
      ...(isObject(info.contact) ? { contact: info.contact } : {}),
      ...options.info,
    },
    host: options.host,
    basePath: options.basePath ?? "/",
    schemes: options.schemes,
    consumes: ["application/json"],
    produces: ["application/json"],
    paths,
    definitions,
    securityDefinitions,
  };
}

function convertSecurityScheme(name: string, scheme: JsonObject): JsonObject {
  const description: JsonObject =
    typeof scheme.description === "string" ? { description: scheme.description } : {};
  if (scheme.type === "apiKey") {
    return { type: "apiKey", in: scheme.in ?? "header", name: scheme.name ?? name, ...description };
  }
  if (scheme.type === "http" && scheme.scheme === "basic") return { type: "basic", ...description };
  if (scheme.type === "http" && scheme.scheme === "bearer") {
    // Swagger 2.0 has no bearer scheme: the token travels as an Authorization header value.
    return { type: "apiKey", in: "header", name: "Authorization", ...description };
  }
  throw new Swagger2ConversionError(
    `security scheme ${name} (${String(scheme.type)}) has no Swagger 2.0 form`,
  );
}
