// What a Power Platform custom connector reads beyond Swagger 2.0 (the x-ms-* extensions), added to
// the activity API's Swagger document so that importing it needs no edits in the connector wizard.
import { isObject, type JsonObject } from "./swagger2.ts";

type Visibility = "important" | "advanced" | "internal";

export interface ConnectorAnnotations {
  /** The connector's website and privacy policy (x-ms-connector-metadata); Herald's public address. */
  website: string;
  privacyPolicy: string;
  /** Semicolon-separated Power Platform categories. */
  categories: string;
  /** Per operationId: how prominently the action is offered. */
  operations: Record<string, Visibility>;
  /** Per parameter or property name: the label the designer shows, and its visibility. */
  fields: Record<string, { summary: string; visibility?: Visibility }>;
}

/**
 * Labels a schema's properties in place (x-ms-summary, x-ms-visibility), recursing into nested
 * objects and array items; only names listed in `fields` are labelled.
 */
function labelProperties(schema: JsonObject, fields: ConnectorAnnotations["fields"]): void {
  const properties = schema.properties;
  if (isObject(properties)) {
    for (const [name, property] of Object.entries(properties)) {
      if (!isObject(property)) continue;
      const field = fields[name];
      if (field) {
        property["x-ms-summary"] = field.summary;
        if (field.visibility) property["x-ms-visibility"] = field.visibility;
      }
      labelProperties(property, fields);
    }
  }
  if (isObject(schema.items)) labelProperties(schema.items, fields);
}

/** A copy of `swagger` with the connector extensions added. */
export function withConnectorAnnotations(swagger: JsonObject, a: ConnectorAnnotations): JsonObject {
  const doc = JSON.parse(JSON.stringify(swagger)) as JsonObject;
  doc["x-ms-connector-metadata"] = [
    { propertyName: "Website", propertyValue: a.website },
    { propertyName: "Privacy policy", propertyValue: a.privacyPolicy },
    { propertyName: "Categories", propertyValue: a.categories },
  ];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const operations of Object.values(paths)) {
    if (!isObject(operations)) continue;
    for (const operation of Object.values(operations)) {
      if (!isObject(operation)) continue;
      const id = typeof operation.operationId === "string" ? operation.operationId : "";
      operation["x-ms-visibility"] = a.operations[id] ?? "advanced";
      // The designer shows the description under the action; the summary is its name.
      if (typeof operation.description !== "string" && typeof operation.summary === "string")
        operation.description = operation.summary;
      for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) {
        if (!isObject(parameter) || typeof parameter.name !== "string") continue;
        if (parameter.in === "body") {
          parameter["x-ms-summary"] = "Message";
          continue;
        }
        const field = a.fields[parameter.name];
        if (field) {
          parameter["x-ms-summary"] = field.summary;
          if (field.visibility) parameter["x-ms-visibility"] = field.visibility;
        }
      }
    }
  }
  const definitions = isObject(doc.definitions) ? doc.definitions : {};
  for (const definition of Object.values(definitions))
    if (isObject(definition)) labelProperties(definition, a.fields);
  return doc;
}
