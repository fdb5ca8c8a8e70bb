import { connectEmbedded, migrate, startEmbeddedServer } from "@herald/db";
import postgres from "postgres";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    engine: "postgres" | "embedded";
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    await migrate(sql);
    await sql.end();
    project.provide("databaseUrl", url);
    project.provide("engine", "postgres");
    return;
  }
  const server = await startEmbeddedServer("memory://");
  const sql = connectEmbedded(server.url);
  await migrate(sql);
  await sql.end();
  project.provide("databaseUrl", server.url);
  project.provide("engine", "embedded");
  return async () => {
    await server.stop();
  };
}
