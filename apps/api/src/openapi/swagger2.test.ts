import { describe, expect, it } from "vitest";
import { convertSchema, type JsonObject, Swagger2ConversionError, toSwagger2 } from "./swagger2.ts";

describe("convertSchema", () => {
  it("spells 3.1 nullability as x-nullable", () => {
    expect(convertSchema({ type: ["string", "null"], maxLength: 5 })).toEqual({
      type: "string",
      maxLength: 5,
      "x-nullable": true,
    });
    expect(convertSchema({ anyOf: [{ $ref: "#/components/schemas/Plan" }, { type: "null" }] })).toEqual({
      $ref: "#/definitions/Plan",
      "x-nullable": true,
    });
  });

  it("turns const, examples and numeric exclusive bounds into their 2.0 forms", () => {
    expect(convertSchema({ type: "boolean", const: true })).toEqual({ type: "boolean", enum: [true] });
    expect(convertSchema({ type: "integer", exclusiveMinimum: 0, examples: [3, 4] })).toEqual({
      type: "integer",
      minimum: 0,
      exclusiveMinimum: true,
      example: 3,
    });
  });

  it("converts nested properties, items and additionalProperties, and drops keywords 2.0 lacks", () => {
    expect(
      convertSchema({
        type: "object",
        $schema: "https://json-schema.org/draft/2020-12/schema",
        properties: {
          tags: { type: "array", items: { type: ["integer", "null"] }, prefixItems: [] },
          card: { type: "object", additionalProperties: {}, propertyNames: { pattern: "^x" } },
        },
        required: ["tags"],
      }),
    ).toEqual({
      type: "object",
      properties: {
        tags: { type: "array", items: { type: "integer", "x-nullable": true } },
        card: { type: "object", additionalProperties: {} },
      },
      required: ["tags"],
    });
  });
});

const doc31: JsonObject = {
  openapi: "3.1.0",
  info: { title: "T", version: "1.2.3" },
  paths: {
    "/v1/things/{id}": {
      get: {
        operationId: "getThing",
        summary: "A thing",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string", maxLength: 9 } },
          { name: "wait", in: "query", required: false, schema: { type: ["integer", "null"], default: 10 } },
        ],
        security: [{ KeyPair: [] }, { Basic: [] }],
        responses: {
          "200": {
            description: "Found",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
          },
        },
      },
      delete: { responses: { "204": { description: "Gone" } } },
    },
    "/v1/other": { post: { responses: { "200": { description: "x" } } } },
  },
  components: {
    schemas: {
      Thing: { type: "object", properties: { part: { $ref: "#/components/schemas/Part" } } },
      Part: { type: "string" },
      Unused: { type: "string" },
    },
    securitySchemes: {
      KeyPair: { type: "apiKey", in: "header", name: "X-Key" },
      Basic: { type: "http", scheme: "basic" },
    },
  },
};

describe("toSwagger2", () => {
  const swagger = toSwagger2(doc31, {
    operations: [{ method: "get", path: "/v1/things/{id}" }],
    host: "herald.example.com",
    schemes: ["https"],
    securityNames: { KeyPair: "Key" },
    securityCompanions: { KeyPair: { Secret: { type: "apiKey", in: "header", name: "X-Secret" } } },
  });

  it("keeps only the chosen operations and the schemas they reach", () => {
    expect(Object.keys(swagger.paths as JsonObject)).toEqual(["/v1/things/{id}"]);
    expect(Object.keys((swagger.paths as Record<string, JsonObject>)["/v1/things/{id}"] ?? {})).toEqual([
      "get",
    ]);
    expect(Object.keys(swagger.definitions as JsonObject).sort()).toEqual(["Part", "Thing"]);
    expect(swagger).toMatchObject({
      swagger: "2.0",
      host: "herald.example.com",
      basePath: "/",
      schemes: ["https"],
    });
  });

  it("writes parameters inline, responses with a schema, and a header pair as two apiKey definitions", () => {
    const get = (swagger.paths as Record<string, JsonObject>)["/v1/things/{id}"]?.get as JsonObject;
    expect(get.parameters).toEqual([
      { name: "id", in: "path", required: true, type: "string", maxLength: 9 },
      { name: "wait", in: "query", required: false, type: "integer", default: 10 },
    ]);
    expect(get.responses).toEqual({
      "200": { description: "Found", schema: { $ref: "#/definitions/Thing" } },
    });
    expect(get.security).toEqual([{ Key: [], Secret: [] }, { Basic: [] }]);
    expect(swagger.securityDefinitions).toEqual({
      Key: { type: "apiKey", in: "header", name: "X-Key" },
      Secret: { type: "apiKey", in: "header", name: "X-Secret" },
      Basic: { type: "basic" },
    });
  });

  it("refuses an operation the document does not have", () => {
    expect(() =>
      toSwagger2(doc31, { operations: [{ method: "put", path: "/v1/nope" }], host: "h", schemes: ["https"] }),
    ).toThrow(Swagger2ConversionError);
  });
});
