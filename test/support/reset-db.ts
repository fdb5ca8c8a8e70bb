// CI helper: gives the PostgreSQL test database a clean public schema before the suite runs.
import postgres from "postgres";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
const sql = postgres(url, { max: 1, onnotice: () => {} });
await sql.unsafe("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
await sql.end();
console.log("reset", url.replace(/\/\/[^@]*@/, "//"));
