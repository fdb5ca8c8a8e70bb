// Checks real answers against the app's own /openapi.json: the status must be one the operation
// declares and the JSON body must match the declared schema (OpenAPI 3.1 schemas are JSON Schema
// 2020-12, so Ajv validates them as they are). Records which operations answered with what.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

type Json = Record<string, unknown>;

export interface Answered {
  operation: string;
  status: number;
}

export class OpenApiAnswers {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: { method: string; template: string; pattern: RegExp }[] = [];
  readonly answered: Answered[] = [];
  readonly violations: string[] = [];

  constructor(private readonly doc: Json) {
    addFormats.default(this.ajv);
    this.ajv.addSchema({ ...doc, $id: "openapi.json" });
    for (const [template, operations] of Object.entries(doc.paths as Record<string, Json>)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      for (const method of Object.keys(operations)) this.routes.push({ method, template, pattern });
    }
  }

  /** Every operation in the document, as "METHOD /template". */
  operations(): string[] {
    return this.routes.map((r) => `${r.method.toUpperCase()} ${r.template}`);
  }

  /** Whether an operation declares any answer outside 2xx. */
  declaresErrors(operation: string): boolean {
    const [method = "", template = ""] = operation.split(" ");
    const responses = ((this.doc.paths as Record<string, Record<string, Json>>)[template]?.[
      method.toLowerCase()
    ]?.responses ?? {}) as Json;
    return Object.keys(responses).some((status) => !status.startsWith("2"));
  }

  /** Validates one answer; returns the response untouched (its body is read from a clone). */
  async check(request: Request, response: Response): Promise<Response> {
    const method = request.method.toLowerCase();
    const path = new URL(request.url).pathname;
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) return response;
    const operation = `${method.toUpperCase()} ${route.template}`;
    this.answered.push({ operation, status: response.status });
    const pointer = `#/paths/${pointerEscape(route.template)}/${method}/responses/${response.status}`;
    const declared = this.ajv.getSchema(`openapi.json${pointer}`);
    if (!declared) {
      this.violations.push(`${operation} answered ${response.status}, which it does not declare`);
      return response;
    }
    const responses = (this.doc.paths as Record<string, Record<string, Json>>)[route.template]?.[method]
      ?.responses as Record<string, Json>;
    const content = responses[String(response.status)]?.content as Record<string, Json> | undefined;
    const jsonSchema = content?.["application/json"];
    if (!jsonSchema) return response;
    const text = await response.clone().text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      this.violations.push(`${operation} ${response.status}: the body is not JSON`);
      return response;
    }
    const validate = this.ajv.getSchema(`openapi.json${pointer}/content/application~1json/schema`);
    if (validate && !validate(body)) {
      const problems = (validate.errors ?? [])
        .map((e) => `${e.instancePath || "(body)"} ${e.message}`)
        .join("; ");
      this.violations.push(`${operation} ${response.status}: ${problems} in ${text.slice(0, 300)}`);
    }
    return response;
  }
}

function pointerEscape(template: string): string {
  return template.replace(/~/g, "~0").replace(/\//g, "~1");
}
